//! The app's phrases in its two languages (`/app/`; the table of `web::words`, the
//! phrases every page shares staying there). Templates read them as `w.name`.

crate::web::phrase_table! {
    app_name: "roomd 会议", "roomd Meetings";
    app_login: "账号、手机号或邮箱", "Account, phone or email";
    app_intro: "登录后可以查看你的会议，并在到达会议室时签到。", "Sign in to see your meetings and check in when you reach the room.";
    app_no_password: "还没有密码？请管理员在控制台的通讯录里为你生成设置密码的链接。",
        "No password yet? Ask an admin for a set-password link (Directory, in the console).";
    app_bad_login: "企业 ID、登录名或密码不正确。", "The company ID, login or password is not right.";
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
    checkin_need_location: "签到需要你的位置：请允许浏览器获取位置后再试。", "Check-in needs your location: allow this page to use it, then try again.";
    checkin_no_position: "这间会议室没有设置位置，无法按位置签到：请在门口的签到板上扫码签到。",
        "This room has no position for check-in by location: scan the code on the board at its door.";
    checkin_too_far: "你距离会议室约 {away} 米，超出了签到范围（{radius} 米）：到会议室后再签到。",
        "You are about {away} m from the room, beyond its check-in radius of {radius} m: check in when you are there.";
    checkin_closed: "这个会议现在不能签到：签到从开始前 15 分钟开放，到会议结束为止。",
        "Check-in for this meeting is not open: it opens 15 minutes before the start and closes at the end.";
    signed_out: "你已退出。", "You are signed out.";
    zone_time: "时间", "time";

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
    m_photo: "{room}的照片", "Photo of {room}";
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
