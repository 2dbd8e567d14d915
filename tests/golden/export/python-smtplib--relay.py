#!/usr/bin/env python3
# Sends mail as scanner@contoso.com, with Python's smtplib; made by Stamp.
# Needs nothing beyond Python 3's standard library.
# No sign-in: the server lets this machine send without one.
# Use it:  from send_mail import send_mail; send_mail(to, subject, body)
# Try it:  python3 send_mail.py you@example.com

import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import formataddr

HOST = "contoso-com.mail.protection.outlook.com"
PORT = 25
FROM = formataddr(("Office Scanner", "scanner@contoso.com"))
TIMEOUT = 30  # seconds


def send_mail(to, subject, body):
    msg = EmailMessage()
    msg["From"] = FROM
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)

    context = ssl.create_default_context()
    with smtplib.SMTP(HOST, PORT, timeout=TIMEOUT) as smtp:
        smtp.starttls(context=context)
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
