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
}
