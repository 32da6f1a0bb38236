"""Self-test of e2e/smtp_server.py and e2e/mail_check.py, so that a failing roomd mail
test points at roomd and not at its tools.

    python3 e2e/mail_tools_selftest.py

Runs the server in each mode (normal, --tempfail, --reject, STARTTLS), sends it
messages with smtplib, and checks the stored files and log; then runs mail_check.py
on a stored invitation and reminder and on malformed messages. Prints
"mail tools: ok" when everything holds; otherwise stops at the first failure.
"""

import contextlib
import email.policy
import json
import pathlib
import signal
import smtplib
import ssl
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage

HERE = pathlib.Path(__file__).resolve().parent
SERVER = HERE / "smtp_server.py"
CHECKER = HERE / "mail_check.py"
SENDER = "roomd@roomd.test"
ATTENDEE = "alice@roomd.test"
TEXT = "周一 10:00–11:00，3楼大会议室。\n"


def expect(condition, why):
    if not condition:
        raise SystemExit(f"mail tools: FAIL {why}")


def calendar_text(method="REQUEST", second_uid=None):
    """A small iTIP calendar; second_uid adds an event with that UID (wrong unless equal)."""
    def event(uid):
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\n"
            "DTSTAMP:20250301T080000Z\r\nDTSTART:20250303T020000Z\r\n"
            "DTEND:20250303T030000Z\r\nSUMMARY:周会 (3楼)\r\nEND:VEVENT\r\n"
        )
    events = event("m-1@roomd.test") + (event(second_uid) if second_uid else "")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//roomd//selftest//EN\r\n"
        f"METHOD:{method}\r\n{events}END:VCALENDAR\r\n"
    )


def message(message_id, subject, calendar=None, attachment=None):
    """A message shaped as mail_check.py expects: an invitation when calendar is given
    (attachment, if given, replaces the copy of it in invite.ics), else a reminder.
    The text is base64 in one and quoted-printable in the other, so that mail_check.py
    reads both; the HTML holds a line led by a dot, which SMTP must stuff and unstuff."""
    mail = EmailMessage(policy=email.policy.SMTP)
    mail["From"] = f"roomd <{SENDER}>"
    mail["To"] = f"爱丽丝 <{ATTENDEE}>"
    mail["Subject"] = subject
    mail["Date"] = "Sat, 01 Mar 2025 16:00:00 +0800"
    mail["Message-ID"] = message_id
    mail.set_content(TEXT, cte="base64" if calendar else "quoted-printable")
    mail.add_alternative("<p>周一 10:00–11:00</p>\n.dot-led line\n", subtype="html")
    if calendar:
        mail.add_alternative(calendar, subtype="calendar", params={"method": "REQUEST"})
        mail.make_mixed()
        mail.add_attachment((attachment or calendar).encode(), maintype="application",
                            subtype="ics", filename="invite.ics")
    return mail


@contextlib.contextmanager
def running_server(workdir, *flags):
    """Runs smtp_server.py in workdir, yields (port, out dir), and checks that it
    stops cleanly on SIGTERM."""
    port_file, out = workdir / "port", workdir / "out"
    server = subprocess.Popen([sys.executable, SERVER, "--port-file", port_file,
                               "--out", out, *flags])
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists():
            expect(server.poll() is None, f"server {flags} exited with {server.returncode}")
            expect(time.monotonic() < deadline, f"server {flags} wrote no port file")
            time.sleep(0.05)
        yield int(port_file.read_text()), out
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=10)
    expect(code == 0, f"server {flags} exited with {code} on SIGTERM")


def send(port, mail):
    """Sends mail on a connection of its own; returns the SMTP error code, 250 if taken."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        try:
            client.sendmail(SENDER, [ATTENDEE], mail.as_bytes())
        except smtplib.SMTPDataError as error:
            return error.smtp_code
    return 250


def log_of(out):
    return [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]


def run_checker(path):
    return subprocess.run([sys.executable, CHECKER, path], capture_output=True, text=True)


def summary_of(path):
    """Runs mail_check.py on path, which must pass; returns its summary."""
    run = run_checker(path)
    expect(run.returncode == 0, f"mail_check.py {path.name}: {run.stderr.strip()}")
    return json.loads(run.stdout)


def accepted_entry(n, mail):
    return {"n": n, "mail_from": SENDER, "rcpt_tos": [ATTENDEE],
            "message_id": mail["Message-ID"], "size": len(mail.as_bytes())}


def test_normal(workdir):
    invite = message("<invite-1@roomd.test>", "邀请：周会", calendar_text())
    reminder = message("<remind-1@roomd.test>", "提醒：周会 10 分钟后开始")
    with running_server(workdir) as (port, out):
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.ehlo()
            expect(not client.has_extn("starttls"), "STARTTLS offered without a certificate")
            expect(not client.has_extn("auth"), "AUTH offered")
        expect(send(port, invite) == 250, "invitation refused")
        expect(send(port, reminder) == 250, "reminder refused")
    expect((out / "1.eml").read_bytes() == invite.as_bytes(), "1.eml differs from what was sent")
    expect((out / "2.eml").read_bytes() == reminder.as_bytes(), "2.eml differs from what was sent")
    expect(sorted(p.name for p in out.iterdir()) == ["1.eml", "2.eml", "log.jsonl"],
           f"unexpected files {sorted(out.iterdir())}")
    expect(log_of(out) == [accepted_entry(1, invite), accepted_entry(2, reminder)],
           f"log {log_of(out)}")

    text = TEXT.replace("\n", "\r\n")  # as sent: policy SMTP ends every line in CRLF
    summary = summary_of(out / "1.eml")
    expect(summary == {
        "to": ATTENDEE, "subject": "邀请：周会", "message_id": "<invite-1@roomd.test>",
        "method": "REQUEST", "uid": "m-1@roomd.test", "sequence": 0, "status": "CONFIRMED",
        "events": 1, "rrule": False, "text": text, "summary": "周会 (3楼)",
    }, f"invitation summary {summary}")
    summary = summary_of(out / "2.eml")
    expect(summary == {
        "to": ATTENDEE, "subject": "提醒：周会 10 分钟后开始",
        "message_id": "<remind-1@roomd.test>", "method": "", "uid": None, "sequence": None,
        "status": None, "events": 0, "rrule": False, "text": text, "summary": None,
    }, f"reminder summary {summary}")


def test_malformed(workdir):
    no_id = message("<x@roomd.test>", "提醒")
    del no_id["Message-ID"]
    two_to = message("<x@roomd.test>", "提醒")
    two_to.replace_header("To", f"{ATTENDEE}, bob@roomd.test")
    cases = {
        "no Message-ID": (no_id, "0 Message-ID headers"),
        "two recipients": (two_to, "To names 2 addresses"),
        "attachment differs": (
            message("<x@roomd.test>", "邀请", calendar_text(), calendar_text("CANCEL")),
            "different bytes"),
        "METHOD differs": (
            message("<x@roomd.test>", "邀请", calendar_text("CANCEL")),
            "calendar METHOD 'CANCEL', method parameter 'REQUEST'"),
        "two UIDs": (
            message("<x@roomd.test>", "邀请", calendar_text(second_uid="m-2@roomd.test")),
            "VEVENTs do not share one UID"),
    }
    for name, (mail, why) in cases.items():
        path = workdir / "bad.eml"
        path.write_bytes(mail.as_bytes())
        run = run_checker(path)
        expect(run.returncode != 0 and why in run.stderr,
               f"{name}: exit {run.returncode}, stderr {run.stderr!r}")


def test_tempfail(workdir):
    mails = [message(f"<try-{i}@roomd.test>", "提醒") for i in (1, 2, 3)]
    with running_server(workdir, "--tempfail", "2") as (port, out):
        codes = [send(port, mail) for mail in mails]
    expect(codes == [451, 451, 250], f"--tempfail 2 answered {codes}")
    expect(log_of(out) == [
        {"refused": 451, "message_id": "<try-1@roomd.test>"},
        {"refused": 451, "message_id": "<try-2@roomd.test>"},
        accepted_entry(1, mails[2]),
    ], f"--tempfail log {log_of(out)}")
    expect((out / "1.eml").read_bytes() == mails[2].as_bytes(), "--tempfail stored wrong bytes")


def test_reject(workdir):
    with running_server(workdir, "--reject") as (port, out):
        codes = [send(port, message(f"<no-{i}@roomd.test>", "提醒")) for i in (1, 2)]
    expect(codes == [550, 550], f"--reject answered {codes}")
    expect(log_of(out) == [{"refused": 550, "message_id": f"<no-{i}@roomd.test>"}
                           for i in (1, 2)], f"--reject log {log_of(out)}")
    expect(not list(out.glob("*.eml")), "--reject stored a message")


def test_starttls(workdir):
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    invite = message("<tls-1@roomd.test>", "邀请：周会", calendar_text())
    trust_any = ssl.create_default_context()
    trust_any.check_hostname = False
    trust_any.verify_mode = ssl.CERT_NONE
    with running_server(workdir, "--tls-cert", cert, "--tls-key", key) as (port, out):
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.ehlo()
            expect(client.has_extn("starttls"), "STARTTLS not offered with a certificate")
            client.starttls(context=trust_any)
            client.ehlo()
            expect(not client.has_extn("auth"), "AUTH offered after STARTTLS")
            client.sendmail(SENDER, [ATTENDEE], invite.as_bytes())
    expect((out / "1.eml").read_bytes() == invite.as_bytes(), "STARTTLS: 1.eml differs")
    expect(log_of(out) == [accepted_entry(1, invite)], f"STARTTLS log {log_of(out)}")


def main():
    for test in (test_normal, test_malformed, test_tempfail, test_reject, test_starttls):
        with tempfile.TemporaryDirectory() as workdir:
            test(pathlib.Path(workdir))
    print("mail tools: ok")


if __name__ == "__main__":
    main()
