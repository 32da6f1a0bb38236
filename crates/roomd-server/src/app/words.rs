//! The app's phrases in its two languages (`/app/`; the table of `web::words`, the
//! phrases every page shares staying there). Templates read them as `w.name`.

crate::web::phrase_table! {
    app_name: "roomd 会议", "roomd Meetings";
    app_login: "账号、手机号或邮箱", "Account, phone or email";
    app_intro: "登录后可以查看你的会议，并在到达会议室时签到。", "Sign in to see your meetings and check in when you reach the room.";
    app_no_password: "还没有密码或忘记了密码？请联系管理员：管理员可以为你生成一个设置密码的链接（24 小时内有效，只能用一次），配置了邮件的话也可以直接发到你的邮箱。",
        "No password yet, or forgot it? Ask an admin: they can make you a link to set one (it works once, within 24 hours), or mail it to you if roomd sends mail.";
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
    pw_wrong: "当前密码不正确。", "The current password is not right.";
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
}
