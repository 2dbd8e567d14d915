#!/usr/bin/env python3
# Sends mail as dave@example.org, with Python's smtplib; made by Stamp.
# Needs nothing beyond Python 3's standard library.
# The password comes from the SMTP_PASSWORD environment variable.
# Use it:  from send_mail import send_mail; send_mail(to, subject, body)
# Try it:  python3 send_mail.py you@example.com

import os
import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import formataddr

HOST = "smtp.example.org"
PORT = 587
USER = "dave"
FROM = formataddr(("Dave \"The Printer\" O'Neil", "dave@example.org"))
EHLO_NAME = "printer.example.org"
CA_FILE = "/etc/ssl/certs/example-org-ca.pem"  # the CA that signed the server's certificate
TIMEOUT = 30  # seconds
PASSWORD = os.environ.get("SMTP_PASSWORD", "")


def send_mail(to, subject, body):
    if not PASSWORD:
        raise RuntimeError("Set SMTP_PASSWORD to the password of dave@example.org")
    msg = EmailMessage()
    msg["From"] = FROM
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)

    context = ssl.create_default_context(cafile=CA_FILE)
    with smtplib.SMTP(HOST, PORT, local_hostname=EHLO_NAME, timeout=TIMEOUT) as smtp:
        smtp.starttls(context=context)
        smtp.login(USER, PASSWORD)
        smtp.send_message(msg)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: send_mail.py RECIPIENT")
    try:
        send_mail(sys.argv[1], "Test from Python",
                  "Sent with Python's smtplib, set up by Stamp.")
    except Exception as error:  # one line for the person, not a traceback
        sys.exit(f"send_mail.py: {error}")
    print("Sent.")
