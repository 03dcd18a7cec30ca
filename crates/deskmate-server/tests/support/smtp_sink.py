"""A real SMTP server for the tests (aiosmtpd): listens on 127.0.0.1 on a
port the system picks (printed as the first line on stdout), and writes
each message it accepts, decoded, to a file of the directory given:
`To:`, `Subject:` and the plain-text body. Ends when stdin closes."""

import asyncio
import email
import email.policy
import os
import socket
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        self.count += 1
        name = os.path.join(self.directory, f"{self.count:06}")
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            out.write(f"To: {','.join(envelope.rcpt_tos)}\n")
            out.write(f"From: {message['From']}\n")
            out.write(f"Subject: {message['Subject']}\n\n")
            out.write(text)
        # Whole files only: the tests see a message once it is complete.
        os.rename(name + ".tmp", name + ".eml")
        return "250 Message accepted"


async def main():
    directory = sys.argv[1]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    loop = asyncio.get_running_loop()
    handler = Sink(directory)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", decode_data=False), sock=sock
    )
    print(sock.getsockname()[1], flush=True)
    # Until the test (our parent) closes stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
