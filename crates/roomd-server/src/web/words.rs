//! Every phrase of roomd's pages in its two languages: one table, one line a phrase
//! (`name: "中文", "English";`). Templates read them as `t.name`; a phrase missing in one
//! language does not compile.

macro_rules! words {
    ($($name:ident: $zh:literal, $en:literal;)*) => {
        /// The pages' phrases in one language.
        pub struct Words {
            $(pub $name: &'static str,)*
        }

        const ZH: Words = Words { $($name: $zh,)* };
        const EN: Words = Words { $($name: $en,)* };

        /// The phrases in `lang`.
        pub fn words(lang: roomd_core::onboarding::Lang) -> &'static Words {
            match lang {
                roomd_core::onboarding::Lang::Zh => &ZH,
                roomd_core::onboarding::Lang::En => &EN,
            }
        }
    };
}
/// The same table for another set of phrases (the mails').
pub(crate) use words as phrase_table;

words! {
    // Shared by every page.
    other_language: "English", "中文";
    save: "保存", "Save";
    none: "暂无", "None yet";
    show: "查看", "Show";
    name: "名称", "Name";
    account: "账号", "Account";
    password: "密码", "Password";
    phone: "手机号", "Phone";
    email: "邮箱", "Email";
    department: "部门", "Department";
    building: "建筑", "Building";
    rooms: "会议室", "Rooms";
    date: "日期", "Date";
    edit: "编辑", "Edit";
    remove: "删除", "Remove";
    approve: "通过", "Approve";
    reject: "拒绝", "Reject";
    actions: "操作", "Actions";
    too_many: "尝试过于频繁，请一分钟后再试。", "Too many tries from here: wait a minute and try again.";

    // The console's frame and navigation.
    console: "roomd 控制台", "roomd console";
    nav_label: "控制台导航", "Console sections";
    sign_out: "退出", "Sign out";
    open_api: "开放接口设置", "Open API settings";
    directory: "通讯录", "Directory";
    meetings: "会议", "Meetings";
    approvals: "待审批", "Approval queue";
    places: "会议室与地点", "Places and rooms";
    nav_rooms: "会议室", "Rooms";
    boards: "签到板", "Check-in boards";
    reports: "报表", "Reports";
    onboarding: "扫码入职", "Onboarding";
    company_settings: "企业设置", "Company";

    // What the console says when something fails.
    expired_title: "页面已过期", "The page has expired";
    expired_form: "页面已过期，请重试。", "The page had expired; try again.";
    back: "返回", "Go back";
    failed_title: "出错了", "Something went wrong";
    unavailable: "数据库暂时无法访问，请稍后重试。", "The database cannot be reached just now; try again shortly.";
    internal: "服务器出错了，请稍后重试。", "Something went wrong on the server; try again.";
    not_found_title: "找不到页面", "Page not found";
    not_found: "这个地址没有页面。", "There is no page at this address.";
    bad_form: "表单内容无效，请检查后重试。", "The form was not filled in as expected; check it and try again.";
    bad_date: "日期无效：请输入 1970-01-01 至 9999-12-31 之间的日期。",
        "That date is not valid: enter a date from 1970-01-01 to 9999-12-31.";
    done: "已保存。", "Saved.";
    removed: "已删除。", "Removed.";

    // Signing in and setting a password.
    sign_in: "登录", "Sign in";
    company: "企业 ID", "Company ID";
    bad_login: "企业、账号或密码不正确，或该账号不是管理员。",
        "Wrong company, account or password, or the account is not an admin.";
    locked: "失败次数过多，账号已锁定 15 分钟。", "Too many failed tries: the account is locked for 15 minutes.";
    setup_title: "设置密码", "Set your password";
    setup_hint: "至少 8 位。此链接只能使用一次。", "At least 8 characters. This link works once.";
    setup_done: "密码已设置，请登录。", "The password is set: sign in.";
    link_gone: "此链接已使用或已过期。", "This link was used or has expired.";
    setup_app: "要在手机上预约会议室、签到，可以登录员工应用：", "To book rooms and check in from your phone, use the employees' app:";
    setup_app_link: "登录应用", "sign in to the app";

    // Open API settings.
    credentials: "应用凭证", "App credentials";
    generate: "生成凭证", "Generate credential";
    revoke: "吊销", "Revoke";
    secret_once: "AppSecret 只显示这一次，请立即保存：", "The AppSecret is shown this once; keep it now:";
    events: "事件订阅", "Event subscription";
    refresh: "刷新密钥", "Refresh keys";
    url: "请求网址", "Request URL";
    enabled: "已启用", "Enabled";
    saved: "已保存：请求网址通过了验证。", "Saved: the request URL passed the check.";
    check_failed: "请求网址验证失败：该网址没有在 1500 毫秒内以加密的 success 回应 check_url 事件。",
        "The request URL failed the check: it did not answer the check_url event with an encrypted success within 1500 ms.";
    bad_url: "请输入 http:// 或 https:// 开头、不超过 2048 个字符的网址。",
        "Enter a URL starting with http:// or https://, at most 2048 characters.";
    deliveries: "推送记录", "Delivery log";
    event_type: "事件类型", "Event type";
    state: "状态", "State";
    attempts: "尝试次数 · 最近结果", "Attempts · last answer";
    replay: "重新推送", "Replay";
    mail: "邮件通知", "Mail";
    calendar_feed: "日历订阅", "Calendar feed";
    feed_of: "{name} 的日历订阅", "Calendar feed of {name}";
    feed_lead: "在 Outlook、Google 日历、Apple 日历或飞书中订阅这个地址，会议就会出现在日常使用的日历里，并随预约的变化自动更新。",
        "Subscribe to this address in Outlook, Google Calendar, Apple Calendar or Feishu: the meetings appear in the calendar people already use, and follow every change.";
    feed_address: "订阅地址", "Address";
    copy: "复制", "Copy";
    copied: "已复制", "Copied";
    subscribe: "在日历应用中打开", "Open in a calendar app";
    feed_secret: "这个地址就是访问凭证，无需登录即可读取：只分享给需要的人。", "Anyone with this address can read the calendar without signing in: share it only with those who need it.";
    feed_reset_button: "生成新地址", "Make a new address";
    feed_reset_hint: "旧地址会立即失效，已订阅的日历需要改用新地址。", "The old address stops working at once; calendars subscribed to it need the new one.";
    feed_reset: "已生成新地址，旧地址已失效。", "A new address is ready; the old one no longer works.";
    mail_on: "邮件经由 {server} 发出，发件人 {from}。", "Mail goes through {server} from {from}.";
    mail_off: "未开启：启动 roomd 时加上 --smtp-url 和 --mail-from，会议邀请和提醒才会发出。",
        "Off: start roomd with --smtp-url and --mail-from to send invitations and reminders.";
    mail_log: "发送记录", "Mail log";
    mail_to: "收件人", "To";
    mail_kind: "类型", "Kind";
    mail_request: "邀请", "Invitation";
    mail_cancel: "取消", "Cancellation";
    mail_reminder: "提醒", "Reminder";
    mail_attempts: "尝试次数 · 最近错误", "Attempts · last error";
    reminder_minutes: "会前提醒（分钟）", "Reminder before a meeting (minutes)";
    reminder_hint: "会议开始前这么多分钟，给预约人和参会人发邮件提醒；0 表示不提醒。",
        "This many minutes before a meeting, its booker and attendees get a reminder by mail; 0 sends none.";
    replayed: "已重新推送。", "Sent again.";
    keys_refreshed: "已生成新的 aes_key 和 token，下次保存请求网址后生效。",
        "New aes_key and token made: they take effect with the next save of the request URL.";
    revoked: "凭证已吊销。", "The credential is revoked.";

    // The company: name, zone, language.
    company_name: "企业名称", "Company name";
    time_zone: "时区", "Time zone";
    zone_hint: "IANA 时区名，例如 Asia/Shanghai、Europe/London。会议室的可预约时间按所在时区计算。",
        "An IANA zone name, such as Asia/Shanghai or Europe/London. Rooms' bookable hours are in their zone.";
    building_zone_hint: "留空则使用企业时区。", "Blank: the company's zone.";
    language: "邮件与日历语言", "Language of mails and calendars";
    bad_zone: "时区无效：请输入 IANA 时区名，例如 Asia/Shanghai。", "Unknown time zone: enter an IANA name such as Asia/Shanghai.";

    // Directory.
    departments: "部门", "Departments";
    parent: "上级部门", "Parent";
    add_dept: "添加部门", "Add a department";
    dept_name: "部门名称", "Department name";
    rename: "改名", "Rename";
    users: "用户", "Users";
    search: "搜索", "Search";
    no_match: "没有匹配的用户。", "No user matches.";
    photo: "照片", "Photo";
    admin: "管理员", "Admin";
    add_user: "添加用户", "Add a user";
    edit_user: "编辑用户", "Edit the user";
    person_name: "姓名", "Name";
    password_optional: "密码（可空：没有密码的用户在通过链接设置密码前无法登录）",
        "Password (optional: without one, nobody can sign in as this user until a password link is used)";
    disable: "停用", "Disable";
    enable: "启用", "Enable";
    disabled: "已停用", "disabled";
    password_link: "设置密码链接", "Password link";
    setup_link_intro: "设置密码的链接（24 小时内有效，只能使用一次），请发给本人：",
        "The link to set the password (valid 24 hours, works once); send it to the person:";
    face_photo: "人脸照片", "Face photo";
    upload: "上传", "Upload";
    face_updated: "人脸照片已更新。", "Face photo updated.";
    mail_link: "邮件发送链接", "Send by mail";
    link_mailed: "设置密码的链接已放入发送队列，稍后会发到此用户的邮箱（24 小时内有效）。",
        "The password link is on its way to the user's email (it works for 24 hours).";
    user_added: "已添加用户。", "The user is added.";
    dept_added: "已添加部门。", "The department is added.";

    // Places and rooms.
    room_calendar: "日程", "Calendar";
    capacity: "容纳人数", "Capacity";
    size: "面积（㎡）", "Size (m²)";
    bookable: "可预约时间", "Bookable hours";
    bookable_from: "可预约开始 HH:mm", "Bookable from (HH:mm)";
    bookable_until: "可预约结束 HH:mm", "Bookable until (HH:mm)";
    address: "地址", "Address";
    scene_image: "场景图片 URL", "Scene image URL";
    floor: "楼层", "Floor";
    latitude: "纬度", "Latitude";
    longitude: "经度", "Longitude";
    radius: "签到半径（米）", "Check-in radius (m)";
    room_users: "仅限这些用户预约（ID，逗号分隔）", "Only these users may book (ids, comma-separated)";
    needs_approval: "预约需要审批", "Bookings need approval";
    approval_tag: "需审批", "approval";
    use_location: "使用当前位置", "Use my location";
    map_label: "点击地图设置会议室位置", "Click the map to place the room";
    add_room: "添加会议室", "Add a room";
    edit_room: "编辑会议室", "Edit the room";
    no_rooms: "还没有会议室：用下面的表单添加第一间。", "No rooms yet: add the first with the form below.";
    add_building: "添加建筑", "Add a building";
    region: "所在地区", "Region";
    floors: "楼层（逗号分隔）", "Floors (comma-separated)";
    add_region: "添加国家/城市", "Add a country or city";
    country_for_city: "所属国家（城市才选）", "Country (for a city)";
    room_added: "已添加会议室。", "The room is added.";
    building_added: "已添加建筑。", "The building is added.";
    region_added: "已添加地区。", "The region is added.";

    // Meetings, the calendar and the approval queue.
    room: "会议室", "Room";
    week: "整周", "Whole week";
    free: "空闲", "free";
    book: "预约", "Book";
    subject: "主题", "Subject";
    begins: "开始", "Begins";
    minutes: "时长（分钟）", "Minutes";
    booker: "预约人账号（为他人预约时填写）", "For (an account; blank: yourself)";
    cancel: "取消", "Cancel";
    finish: "结束", "Finish";
    pending: "待审批", "pending";
    checked_in: "已签到", "checked in";
    booked: "已预约。", "Booked.";
    approved: "已通过。", "Approved.";
    rejected: "已拒绝。", "Rejected.";
    cancelled: "已取消。", "Cancelled.";
    finished: "已结束。", "Finished.";
    by_building: "按建筑查看", "A building's day";
    find_room: "找会议室", "Find a room";
    from_time: "开始时间", "From";
    to_time: "结束时间", "To";
    min_capacity: "至少容纳人数", "At least this many people";
    any_building: "任意建筑", "Any building";
    show_unavailable: "也显示不可用的会议室", "Show rooms that are not free too";
    search_rooms: "查找", "Find";
    status_free: "空闲", "Free";
    status_occupied: "已被占用", "Taken";
    status_hours: "不在可预约时间内", "Outside its hours";
    status_disabled: "已停用", "Disabled";
    status_permission: "无权预约", "Not allowed";
    no_free_room: "这个时段没有符合条件的空闲会议室。", "No room matching the search is free then.";
    bad_range: "请填写日期与开始、结束时间，结束要晚于开始。", "Enter a date and a start and end time, the end after the start.";
    repeat: "重复", "Repeat";
    repeat_none: "不重复", "Does not repeat";
    repeat_daily: "每天", "Every day";
    repeat_weekdays: "每个工作日", "Every weekday";
    repeat_weekly: "每周", "Every week";
    repeat_biweekly: "每两周", "Every two weeks";
    repeat_monthly: "每月", "Every month";
    occurrences: "次数（含第一次）", "Occurrences (the first included)";
    series_tag: "系列", "series";
    cancel_following: "取消此次及以后", "Cancel this and later";
    approve_series: "批准整个系列", "Approve the series";
    reject_series: "拒绝整个系列", "Reject the series";
    pending_occurrences: "次待审批", "occurrences waiting";
    series_booked: "已预约系列会议。", "The series is booked.";
    no_pending: "没有待审批的会议。", "No meeting is waiting for approval.";
    no_buildings: "还没有建筑。", "No buildings yet.";

    // Check-in boards.
    mint: "创建部署码", "Create a deployment code";
    scope: "范围", "Scope";
    valid_days: "有效天数", "Valid for (days)";
    minted: "部署码（在签到板上输入）：", "Deployment code (type it on the board):";
    devices: "已激活的签到板", "Active boards";
    bound_room: "绑定的会议室", "Room";
    whole_company: "整个企业", "The whole company";
    board_revoked: "签到板已停用。", "The board is revoked.";

    // Onboarding, as the admin sees it.
    onboarding_approval: "入职登记需要管理员审批", "Registrations wait for an admin's approval";
    create_code: "创建入职二维码", "Create an onboarding QR code";
    codes: "入职二维码", "Onboarding QR codes";
    code: "二维码", "Code";
    registrations: "登记 / 待审批", "Registered / pending";
    print: "打印", "Print";
    turn_off: "停用", "Turn off";
    turn_on: "启用", "Turn on";
    pending_registrations: "待审批的登记", "Registrations waiting for approval";
    no_dimensions: "尚未定义二维码维度：先在上面添加一个。", "No QR code dimensions are defined yet: add one above.";
    dimensions: "二维码维度", "QR code dimensions";
    kind: "类型", "Type";
    options: "选项", "Options";
    name_zh: "中文名称", "Name (Chinese)";
    name_en: "英文名称", "Name (English)";
    single_select: "单选", "single-select";
    multi_select: "多选", "multi-select";
    yes_no: "布尔", "yes/no";
    options_hint: "选项（每行：值 | 中文 | English；company、department 的选项来自通讯录）",
        "Options (one a line: value | 中文 | English; company and department take theirs from the directory)";
    save_dimension: "保存维度", "Save the dimension";
    bad_kind: "类型只能是单选、多选或布尔。", "The type is single-select, multi-select or yes/no.";

    // Reports.
    report_title: "使用率报表", "Room utilisation";
    from: "开始日期", "From";
    to: "结束日期", "To";
    buildings: "建筑", "Buildings";
    bookable_h: "可预约小时", "Bookable h";
    booked_h: "已预约小时", "Booked h";
    utilisation: "使用率", "Utilisation";
    checked_in_h: "签到小时", "Checked-in h";
    meeting_count: "会议数", "Meetings";
    no_show_rate: "未签到率", "No-show rate";
    booked_bar: "已预约", "booked";
    long_report: "报表最多统计 366 天，请缩短日期范围。", "A report covers at most 366 days: choose a shorter range.";

    // The phone check-in page behind a board's QR code.
    checkin_title: "会议签到", "Meeting check-in";
    check_in: "签到", "Check in";
    checkin_done: "签到成功", "You are checked in";
    checkin_none: "这个会议室现在没有可以签到的会议。", "No meeting in this room is open for check-in now.";
    checkin_failed: "签到没有成功，请稍后重试。", "The check-in did not go through; try again shortly.";
    checkin_expired: "二维码已过期，请重新扫描会议室门口的二维码。",
        "This code has expired: scan the code at the room's door again.";
    checkin_bad_login: "账号或密码不正确。", "Wrong account or password.";
    not_invited: "你不在这个会议的参会人名单中。", "You are not on this meeting's list of attendees.";

    // The scan-to-register page behind an onboarding QR code.
    scan_title: "扫码入职", "Scan to onboard";
    scan_intro: "欢迎加入！请填写以下信息完成入职登记。", "Welcome! Fill in the form below to register.";
    presets: "入职信息", "Your onboarding details";
    password_hint: "至少 8 位", "at least 8 characters";
    face_hint: "JPG 或 PNG，200 KB–5 MB，不超过 1920×1080", "JPG or PNG, 200 KB–5 MB, at most 1920×1080";
    face_kept: "已保留上次上传的照片；重新选择可替换。", "The photo you uploaded is kept; choose another to replace it.";
    register: "提交登记", "Register";
    fix: "请修改标出的内容后重新提交。", "Please correct the marked fields and submit again.";
    registered: "登记成功", "You are registered";
    registered_detail: "你的账号已创建，可以用账号和密码登录。",
        "Your account has been created: sign in with your account and password.";
    waiting: "已提交，等待审批", "Submitted, waiting for approval";
    waiting_detail: "管理员审批通过后，你的账号即可使用。", "Your account can be used once an administrator approves it.";
    code_off: "二维码已停用", "This QR code is deactivated";
    code_off_detail: "此入职二维码已被停用，请联系管理员获取新的二维码。",
        "This onboarding QR code has been turned off. Ask your administrator for a new one.";
    code_unknown: "二维码无效", "Unknown QR code";
    code_unknown_detail: "找不到这个入职二维码，请确认链接完整。",
        "This onboarding QR code does not exist. Check that the link is complete.";
    yes: "是", "Yes";
    no: "否", "No";
}
