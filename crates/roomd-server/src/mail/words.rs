//! The mails' phrases in the company's language, written as a colleague would write
//! them. `{…}` marks are filled in by `render.rs`.

crate::web::phrase_table! {
    invitation: "邀请：", "Invitation: ";
    updated: "已更新：", "Updated: ";
    awaiting: "待审批：", "Awaiting approval: ";
    cancelled: "已取消：", "Cancelled: ";
    not_approved: "未通过审批：", "Not approved: ";
    reminder: "提醒：", "Reminder: ";
    hello: "{name}，您好：", "Hello {name},";
    invites_you: "{booker}邀请您参加以下会议。", "{booker} has invited you to the meeting below.";
    you_booked: "您预约的会议已确认，详情如下。", "Your meeting is booked. Here are the details.";
    changed: "会议信息有变动，请以下面的内容为准。", "This meeting has changed. The details below are the current ones.";
    waiting: "您的预约已提交，正在等待管理员审批；审批通过后，所有参会人都会收到邀请。",
        "Your booking is waiting for an administrator's approval. Once it is approved, everyone on it will get the invitation.";
    was_cancelled: "以下会议已取消。", "The meeting below has been cancelled.";
    was_rejected: "很抱歉，您的预约未通过审批，会议室没有为您保留。", "Sorry, your booking was not approved, so the room is not held for you.";
    was_released: "会议开始后无人签到，会议室已释放，会议随之取消。", "Nobody checked in after the meeting began, so the room was released and the meeting cancelled.";
    starts_soon: "您的会议即将开始。", "Your meeting starts soon.";
    colon: "：", ": ";
    when: "时间", "When";
    where_: "地点", "Where";
    booked_by: "预约人", "Booked by";
    repeats: "重复", "Repeats";
    occurrences: "共 {n} 次，{first} 至 {last}", "{n} times, from {first} to {last}";
    notes: "备注", "Notes";
    reason: "原因", "Reason";
    calendar_note: "附件中的日历邀请可直接加入您的日历。", "The calendar invitation attached adds this to your calendar.";
    signature: "—— {company} 会议室预约", "— {company} meeting rooms";
    // A setup link.
    link_subject: "请设置您的会议室预约密码", "Set your password for booking meeting rooms";
    link_lead: "{company}的管理员为您开通了会议室预约。请打开下面的链接设置密码，设置好后就可以在手机上登录，预约会议室、签到。",
        "An administrator at {company} has set you up to book meeting rooms. Open the link below to choose your password; after that you can sign in on your phone to book rooms and check in.";
    link: "链接", "Link";
    valid_until: "有效期至", "Valid until";
    link_note: "链接只能使用一次。如果您没有申请设置密码，忽略这封邮件即可。",
        "The link works once. If you weren't expecting this, you can ignore this message.";
}
