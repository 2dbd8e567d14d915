#!/usr/bin/env python3
# Sends mail as alice@contoso.com, with Python's smtplib; made by Stamp.
# Needs nothing beyond Python 3's standard library.
# This account sends through Microsoft Graph in Stamp; smtplib cannot.
# These settings use SMTP with OAuth (XOAUTH2) instead, which works
# only where the tenant allows SMTP AUTH: switch the account to SMTP
# in Stamp and test it there first. Where SMTP AUTH stays off, send
# through Stamp Relay, which sends through Microsoft Graph.
# Access tokens come from Stamp (stamp-cli), signed in as the user that
# runs this.
# Use it:  from send_mail import send_mail; send_mail(to, subject, body)
# Try it:  python3 send_mail.py you@example.com

import smtplib
import ssl
import subprocess
import sys
from email.message import EmailMessage
from email.utils import formataddr

HOST = "smtp.office365.com"
PORT = 587
USER = "alice@contoso.com"
FROM = formataddr(("Alice Contoso", "alice@contoso.com"))
TIMEOUT = 30  # seconds
TOKEN_COMMAND = ["stamp-cli", "token", "alice@contoso.com"]


def access_token():
    """Stamp keeps the sign-in and prints an access token with at least five
    minutes left, refreshing it first when needed."""
    return subprocess.run(TOKEN_COMMAND, stdout=subprocess.PIPE, text=True,
                          check=True, timeout=TIMEOUT).stdout.strip()


# smtplib sends this with AUTH; a challenge back is the server's error
# report, which an empty line answers.
def xoauth2(challenge=None):
    if challenge is not None:
        return ""
    return f"user={USER}\x01auth=Bearer {access_token()}\x01\x01"


def send_mail(to, subject, body):
    msg = EmailMessage()
    msg["From"] = FROM
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)

    context = ssl.create_default_context()
    with smtplib.SMTP(HOST, PORT, timeout=TIMEOUT) as smtp:
        smtp.starttls(context=context)
        smtp.ehlo_or_helo_if_needed()
        smtp.auth("XOAUTH2", xoauth2)
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
