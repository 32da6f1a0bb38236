"""A real SMTP server for roomd's integration tests: roomd sends its invitations and
reminders here, and the tests read back exactly what went over the wire.

    python3 e2e/smtp_server.py --port-file PATH --out DIR [--tempfail N] [--reject]
                               [--tls-cert CERT --tls-key KEY]

Binds 127.0.0.1 on a free port and writes that port to PATH (whole, by rename), then
serves until SIGTERM or SIGINT. Each accepted message is stored as DIR/<n>.eml
(n = 1, 2, 3… in arrival order, the DATA bytes exactly, written whole by rename)
and described by one JSON line in DIR/log.jsonl:
{"n", "mail_from", "rcpt_tos", "message_id", "size"}.

--tempfail N answers the first N DATA commands, across connections, with a 451 and
--reject answers every DATA with a 550, so that tests can see how roomd retries and
gives up; each refusal is logged as {"refused": code, "message_id"} and nothing is
stored. With --tls-cert and --tls-key the server offers STARTTLS (not required);
AUTH is never offered, so a client has no reason to try it.
"""

import argparse
import asyncio
import email.parser
import email.policy
import json
import os
import signal
import ssl

from aiosmtpd.smtp import SMTP

TEMPFAIL = "451 4.3.0 Try again later"
REJECT = "550 5.7.1 Refused by policy"


def write_whole(path, data):
    """Writes data to path by way of a temporary name, so a reader never sees a part."""
    temporary = f"{path}.tmp"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


class Mailbox:
    """The aiosmtpd handler: stores or refuses each message as the options say."""

    def __init__(self, out, tempfail, reject):
        self.out = out
        self.tempfails_left = tempfail
        self.reject = reject
        self.stored = 0

    def log(self, entry):
        with open(os.path.join(self.out, "log.jsonl"), "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # aiosmtpd offers AUTH once TLS is up; this server takes no credentials.
        session.host_name = hostname
        return [line for line in responses if not line.startswith("250-AUTH")]

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(data)
        message_id = str(headers["Message-ID"]).strip() if "Message-ID" in headers else None
        if self.reject:
            self.log({"refused": 550, "message_id": message_id})
            return REJECT
        if self.tempfails_left > 0:
            self.tempfails_left -= 1
            self.log({"refused": 451, "message_id": message_id})
            return TEMPFAIL
        self.stored += 1
        write_whole(os.path.join(self.out, f"{self.stored}.eml"), data)
        self.log({
            "n": self.stored,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "message_id": message_id,
            "size": len(data),
        })
        return "250 OK"


async def serve(options):
    tls = None
    if options.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(options.tls_cert, options.tls_key)
    os.makedirs(options.out, exist_ok=True)
    mailbox = Mailbox(options.out, options.tempfail, options.reject)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(mailbox, hostname="localhost", tls_context=tls, require_starttls=False),
        "127.0.0.1",
        0,
    )
    port = server.sockets[0].getsockname()[1]
    write_whole(options.port_file, f"{port}\n".encode())

    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()


def main():
    parser = argparse.ArgumentParser(description="SMTP server for roomd's integration tests")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tempfail", type=int, default=0, metavar="N")
    parser.add_argument("--reject", action="store_true")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    options = parser.parse_args()
    if bool(options.tls_cert) != bool(options.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    asyncio.run(serve(options))


if __name__ == "__main__":
    main()
