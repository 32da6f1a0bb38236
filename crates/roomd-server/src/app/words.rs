//! The app's phrases in its two languages (`/app/`; the table of `web::words`, the
//! phrases every page shares staying there). Templates read them as `w.name`.

crate::web::phrase_table! {
    app_name: "roomd 会议", "roomd Meetings";
    app_login: "账号、手机号或邮箱", "Account, phone or email";
    app_intro: "登录后可以查看你的会议，并在到达会议室时签到。", "Sign in to see your meetings and check in when you reach the room.";
    app_no_password: "还没有密码或忘记了密码？请联系管理员：管理员可以为你生成一个设置密码的链接（24 小时内有效，只能用一次），配置了邮件的话也可以直接发到你的邮箱。",
        "No password yet, or forgot it? Ask an admin: they can make you a link to set one (it works once, within 24 hours), or mail it to you if roomd sends mail.";
    app_bad_login: "企业 ID、账号或密码不正确。", "The company ID, login or password is incorrect.";
    app_locked: "失败次数过多，请 15 分钟后再试。", "Too many failed tries: try again in 15 minutes.";
    my_meetings: "我的会议", "My meetings";
    today: "今天", "Today";
    tomorrow: "明天", "Tomorrow";
    no_meetings: "未来两周没有你的会议。", "You have no meetings in the next two weeks.";
    no_meetings_hint: "你预约或受邀参加的会议会显示在这里。", "Meetings you book or are invited to will show here.";
    st_upcoming: "未开始", "Upcoming";
    st_soon: "即将开始", "Starting soon";
    st_in_progress: "进行中", "In progress";
    st_ended: "已结束", "Ended";
    st_cancelled: "已取消", "Cancelled";
    st_released: "无人签到，已释放", "Released: nobody checked in";
    st_pending: "待审批", "Pending approval";
    st_rejected: "已驳回", "Rejected";
    you_checked_in: "已签到", "Checked in";
    app_checked_in: "签到成功。", "You are checked in.";
    scan_already: "你已经签到过了。", "You are already checked in.";
    checkin_need_location: "签到需要你的位置：请允许浏览器获取位置后再试。", "Check-in needs your location: allow this page to use it, then try again.";
    checkin_no_position: "这间会议室没有设置位置，无法按位置签到：请在门口的签到板上扫码签到。",
        "This room has no position for check-in by location: scan the code on the board at its door.";
    checkin_too_far: "你距离会议室约 {away} 米，超出了签到范围（{radius} 米）：到会议室后再签到。",
        "You are about {away} m from the room, beyond its check-in radius of {radius} m: check in when you are there.";
    checkin_closed: "这个会议现在不能签到：签到从开始前 15 分钟开放，到会议结束为止。",
        "Check-in for this meeting is not open: it opens 15 minutes before the start and closes at the end.";
    signed_out: "你已退出。", "You are signed out.";
    zone_time: "时间", "time";

    // The app's sections.
    app_nav: "应用导航", "Sections";
    booked_done: "预约成功。", "Booked.";

    // Finding a room.
    find_title: "找会议室", "Find a room";
    find_now: "现在就用", "Right now";
    now_30: "30 分钟", "30 minutes";
    now_60: "1 小时", "1 hour";
    now_prefix: "从现在起 ", "From now, for ";
    find_later: "指定时间", "Another time";
    find_from: "开始", "From";
    find_to: "结束", "Until";
    find_people: "人数", "People";
    find_people_hint: "可不填", "optional";
    find_where: "地点", "Where";
    find_anywhere: "不限", "Anywhere";
    find_button: "查找空闲会议室", "Find free rooms";
    find_said: "{date} {from}–{to} 空闲的会议室", "Rooms free on {date}, {from}–{to}";
    find_none: "这个时段没有你可以预约的空闲会议室。换个时间、减少人数或放宽地点再试。",
        "No room you may book is free then. Try another time, fewer people or anywhere.";
    find_more: "另有 {n} 间也空闲：填写人数或选择地点可以缩小范围。", "Free too, not listed: {n}. Give the number of people or a place to narrow the list.";
    find_bad_range: "请填写日期和开始、结束时间，结束要晚于开始。", "Enter a date, a start and an end, the end after the start.";
    find_bad_people: "人数请填写 1 以上的整数。", "Enter the number of people as a whole number, 1 or more.";
    find_bad_place: "找不到这个地点，请重新选择。", "That place no longer exists: choose again.";
    find_over: "这个时段已经过去了，请选择之后的时间。", "That time is already over: choose a later one.";
    seats: "{n} 人", "Seats {n}";
    approval_needed: "需审批", "Needs approval";
    local_hours: "当地时间 {from}–{to}（{zone}）", "{from}–{to} local time ({zone})";
    scene_photo: "{room}的照片", "Photo of {room}";
    see_photo: "查看会议室照片", "See the room's photo";
    book_this: "预约", "Book";
    room_day: "当天安排", "Schedule";

    // A room's day.
    room_day_title: "会议室日程", "Room schedule";
    room_hours: "可预约 {hours}", "Bookable {hours}";
    day_before: "前一天", "Day before";
    day_after: "后一天", "Day after";
    day_pick: "日期", "Date";
    day_show: "查看", "Show";
    booked_by_other: "已被预约", "Booked";
    free_slot: "空闲", "Free";
    day_empty: "这一天已没有可预约的时间。", "Nothing left to book on this day.";
    timeline: "当天时间线", "The day's timeline";

    // Booking.
    book_title: "预约会议室", "Book a room";
    book_room: "会议室", "Room";
    change_room: "换一间", "Choose another";
    book_subject: "会议主题", "Subject";
    book_date: "日期", "Date";
    book_from: "开始时间", "Starts";
    book_to: "结束时间", "Ends";
    book_repeat: "重复", "Repeat";
    repeat_none: "不重复", "Does not repeat";
    repeat_daily: "每天", "Every day";
    repeat_weekdays: "每个工作日（周一至周五）", "Every weekday (Monday to Friday)";
    repeat_weekly: "每周", "Every week";
    repeat_biweekly: "每两周", "Every two weeks";
    repeat_monthly: "每月", "Every month";
    ends_count: "重复次数", "Number of times";
    ends_until: "截止日期", "Until a date";
    book_ends: "结束方式", "Ends";
    book_attendees: "参会同事", "Colleagues";
    book_you: "预约人总在名单中，无需再选。", "The booker is always on the list.";
    book_who: "按姓名、账号、手机号或邮箱查找", "Find by name, account, phone or email";
    book_find: "查找", "Find";
    book_no_match: "通讯录里没有匹配的同事。", "Nobody in the directory matches.";
    book_matches: "勾选要邀请的同事：", "Tick the colleagues to invite:";
    book_guests: "访客", "Guests";
    guest_name: "访客姓名", "Guest's name";
    guest_phone: "手机号（可不填）", "Phone (optional)";
    guest_email: "邮箱（可不填，用于发送邀请）", "Email (optional, for the invitation)";
    add_guest: "再添加一位访客", "Add another guest";
    book_memo: "备注", "Notes";
    book_button: "预约", "Book";
    preview_title: "重复会议的安排", "The series, date by date";
    preview_ok: "可预约", "Free";
    conflict_taken: "已被占用", "Taken";
    conflict_hours: "不在可预约时间内", "Outside its hours";
    conflict_other: "无法预约", "Cannot be booked";
    preview_all_free: "全部 {n} 次都可以预约。", "All {n} dates are free.";
    preview_some: "{n} 次有冲突，其余 {m} 次可以预约。", "Dates that conflict: {n}. Free: {m}.";
    preview_none: "每一次都有冲突：请换个时间或会议室。", "Every date conflicts: choose another time or room.";
    confirm_all: "预约全部 {n} 次", "Book all {n}";
    confirm_skip: "跳过冲突，预约其余 {m} 次", "Skip the conflicts, book the rest ({m})";
    book_need_subject: "请填写会议主题。", "Enter a subject.";
    book_bad_attendee: "参会人名单有误，请重新选择。", "Some colleagues chosen can no longer be invited: choose them again.";
    book_guest_name: "每位访客都需要填写姓名。", "Every guest needs a name.";
    book_bad_repeat: "请选择一种重复方式。", "Choose how the meeting repeats.";
    book_bad_count: "重复次数请填写 2 到 100 之间的整数。", "Enter the number of times as a whole number from 2 to 100.";
    book_bad_until: "请填写截止日期。", "Enter the date the series ends.";
    time_refused: "这个时间不能预约：会议要在将来，并在同一天内结束。", "That time cannot be booked: a meeting must lie ahead and end on the day it begins.";
    text_refused: "主题最多 128 个字，备注最多 4096 个字。", "A subject is at most 128 characters, notes at most 4096.";
    room_gone: "这间会议室已不存在。", "This room no longer exists.";
    // Profile.
    profile: "我的设置", "Profile";
    lang_title: "语言", "Language";
    lang_lead: "选择页面使用的语言。这台设备上的浏览器会记住你的选择。",
        "Choose the language of these pages. This browser remembers your choice.";
    lang_saved: "语言已保存。", "Language saved.";
    pw_title: "修改密码", "Change password";
    pw_current: "当前密码", "Current password";
    pw_new: "新密码", "New password";
    pw_repeat: "再次输入新密码", "New password again";
    pw_hint: "至少 8 位。修改后，你在其他设备和控制台上的登录会退出，这台手机保持登录。",
        "At least 8 characters. Once it is changed, you are signed out everywhere else (other phones, the console); this one stays signed in.";
    pw_button: "修改密码", "Change password";
    pw_changed: "密码已修改，其他设备上的登录已退出。", "Password changed. You are signed out on every other device.";
    pw_wrong: "当前密码不正确。", "The current password is incorrect.";
    pw_short: "新密码至少需要 8 位。", "The new password needs at least 8 characters.";
    pw_mismatch: "两次输入的新密码不一致。", "The two new passwords are not the same.";
    face_title: "人脸照片", "Face photo";
    face_lead: "用于在会议室门口的签到板上刷脸签到。", "Used to check you in by face at the board by the room's door.";
    face_current: "当前照片", "Your current photo";
    face_none: "还没有上传照片。", "No photo yet.";
    face_choose: "选择照片", "Choose a photo";
    face_upload: "上传", "Upload";
    face_saved: "照片已更新。", "Your photo is updated.";
    face_missing: "请先选择一张照片。", "Choose a photo first.";
    face_too_small: "这张照片小于 200 KB，清晰度不够：请换一张更清晰的照片。",
        "This photo is under 200 KB, too little detail to recognise you: choose a sharper one.";
    face_too_large: "这张照片超过 5 MB：请换一张小一些的照片。", "This photo is over 5 MB: choose a smaller one.";
    face_not_image: "只能上传 JPG 或 PNG 格式的照片。", "Only JPG or PNG photos can be used.";
    face_too_wide: "这张照片是 {size}，超过了 1920×1080：请先缩小后再上传。",
        "This photo is {size}, larger than 1920×1080: make it smaller, then upload it.";
    face_broken: "这张照片无法读取，可能已损坏：请换一张。", "This photo cannot be read, it may be damaged: choose another.";
    feed_title: "我的日历订阅", "My calendar feed";
    feed_lead: "在手机或电脑的日历应用中订阅这个地址，你预约和参加的会议会自动出现在日历里。",
        "Subscribe to this address in your phone's or computer's calendar app: the meetings you book or attend show up there and stay up to date.";
    // My meeting.
    m_when: "时间", "When";
    m_booker: "预约人", "Booked by";
    m_memo: "备注", "Notes";
    m_repeats: "重复", "Repeats";
    m_attendees: "参会人", "Attendees";
    m_checked_count: "{checked}/{all} 人已签到", "{checked} of {all} checked in";
    m_checked_at: "{time} 已签到", "Checked in at {time}";
    m_not_checked: "未签到", "Not checked in";
    m_guest: "访客", "guest";
    m_nobody: "名单上还没有人。", "Nobody is on the list yet.";
    m_not_found: "找不到这个会议：它可能已被删除，或你不在它的参会名单中。",
        "This meeting cannot be found: it may be gone, or you are not on its list.";
    m_change: "调整会议", "Change the meeting";
    m_extend: "延长 {minutes} 分钟", "Extend {minutes} min";
    m_end_now: "立即结束", "End now";
    m_end_hint: "提前结束后，会议室立即释放给其他人。", "Ending early frees the room for others at once.";
    m_edit: "修改主题、时间或备注", "Edit subject, time or notes";
    m_cancel_open: "取消会议…", "Cancel the meeting…";
    m_cancel_reason: "取消原因（选填，会告知参会人）", "Reason (optional, attendees are told)";
    m_cancel_button: "确认取消", "Cancel the meeting";
    m_scope: "这是一个系列会议。应用于：", "This meeting repeats. Apply to:";
    m_scope_this: "仅此次", "This meeting only";
    m_scope_following: "此次及以后", "This and following";
    m_scope_all: "整个系列", "All meetings in the series";
    m_add_calendar: "添加到日历", "Add to calendar";
    m_add_calendar_hint: "下载 .ics 文件，用手机或电脑的日历打开即可。", "Downloads an .ics file: open it with your phone's or computer's calendar.";
    m_feed_title: "订阅我的全部会议", "Subscribe to all my meetings";
    m_feed_lead: "在日历应用中订阅这个地址，你预约和受邀的会议都会自动出现，并随变化更新。",
        "Subscribe to this address in your calendar app: every meeting you book or are invited to shows up there and follows every change.";
    m_done_cancelled: "会议已取消，参会人会收到通知。", "The meeting is cancelled; attendees are told.";
    m_done_finished: "会议已结束，会议室已释放。", "The meeting has ended and the room is free again.";
    m_done_extended: "已延长，会议现在 {end} 结束。", "Extended: the meeting now ends at {end}.";
    m_done_extended_approval: "已延长，会议现在 {end} 结束；这间会议室需要审批，已重新提交给管理员。",
        "Extended: the meeting now ends at {end}. The room needs approval, so it waits for an admin again.";
    m_done_saved: "修改已保存。", "Your changes are saved.";
    m_taken: "会议室 {from} 起已被预约，无法延长 {minutes} 分钟。", "The room is booked from {from}: the meeting cannot be extended by {minutes} minutes.";
    m_closes: "会议室 {closes} 后不开放预约，无法延长 {minutes} 分钟。", "The room closes at {closes}: the meeting cannot be extended by {minutes} minutes.";
    m_edit_title: "修改会议", "Edit the meeting";
    m_starts: "开始时间", "Starts";
    m_ends: "结束时间", "Ends";
    m_zone_hint: "时间按会议室所在时区（{zone}）填写。", "Times are in the room's time zone ({zone}).";
    m_audit_hint: "这个会议室需要审批：改了时间后需要重新审批。", "This room needs approval: a new time is approved again.";
    m_save: "保存修改", "Save changes";
    m_back: "返回", "Back";
    rule_daily: "每天", "Daily";
    rule_days: "每 {n} 天", "Every {n} days";
    rule_weekdays: "每个工作日", "Every weekday";
    rule_weekly: "每周{days}", "Weekly on {days}";
    rule_weeks: "每 {n} 周的周{days}", "Every {n} weeks on {days}";
    rule_monthly: "每月 {day} 日", "Monthly on day {day}";
    rule_months: "每 {n} 个月的 {day} 日", "Every {n} months on day {day}";
    rule_count: "共 {n} 次", "{n} times";
    rule_until: "至 {date}", "until {date}";
    rule_cancelled: "已取消 {n} 次", "{n} cancelled";
}
