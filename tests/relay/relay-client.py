#!/usr/bin/python3
# relay-client.py
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A device for the relay tests: Python's smtplib and raw sockets against a
# relay on loopback. Prints one line per step, "STEP: CODE TEXT", for the
# C test to read.
#
#   relay-client.py deliver PORT [--starttls] [--user U --password P]
#                   [--from ADDR] [--size N] [--body-bytes N] [--mail-only]
#   relay-client.py raw PORT LINE...          each line sent, its reply read
#   relay-client.py slowloris PORT INTERVAL   one byte each INTERVAL s, while
#                                             a delivery runs beside it
#   relay-client.py slowdata PORT INTERVAL    a message, one byte each INTERVAL s
#   relay-client.py idle PORT N               N idle connections, then a
#                                             delivery beside them
#   relay-client.py connect PORT N            N connections, their first line

import argparse
import smtplib
import socket
import ssl
import sys
import threading
import time

BODY = ("Subject: scan\r\n\r\nA scan.\r\n.a line that starts with a dot\r\n"
        "..two dots\r\nlast line\r\n")


def say(step, code, text=''):
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    print(f'{step}: {code} {text}'.replace('\n', ' '), flush=True)


def context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def deliver(args):
    try:
        smtp = smtplib.SMTP('127.0.0.1', args.port, timeout=20)
        smtp.ehlo('device.example')
        say('features', 250, ' '.join(sorted(smtp.esmtp_features)))
        if args.starttls:
            code, text = smtp.starttls(context=context())
            say('starttls', code, text)
            smtp.ehlo('device.example')
            say('features-tls', 250, ' '.join(sorted(smtp.esmtp_features)))
        if args.user:
            try:
                code, text = smtp.login(args.user, args.password)
                say('auth', code, text)
            except smtplib.SMTPAuthenticationError as e:
                say('auth', e.smtp_code, e.smtp_error)
            except smtplib.SMTPNotSupportedError:
                # Not offered: try anyway, as a careless device would.
                code, text = smtp.docmd('AUTH', 'PLAIN AHByaW50ZXIAeA==')
                say('auth', code, text)
        options = [f'SIZE={args.size}'] if args.size else []
        code, text = smtp.mail(args.sender, options)
        say('mail', code, text)
        if code != 250 or args.mail_only:
            smtp.quit()
            return
        code, text = smtp.rcpt('boss@elsewhere.example')
        say('rcpt', code, text)
        body = BODY
        if args.body_bytes:
            line = 'x' * 76 + '\r\n'
            body = 'Subject: big\r\n\r\n' + line * (args.body_bytes // len(line) + 1)
        try:
            code, text = smtp.data(body)
        except smtplib.SMTPDataError as e:
            code, text = e.smtp_code, e.smtp_error
        say('data', code, text)
        code, text = smtp.noop()
        say('noop', code, text)
        smtp.quit()
    except smtplib.SMTPServerDisconnected as e:
        say('disconnected', 0, str(e))
    except smtplib.SMTPResponseException as e:
        say('error', e.smtp_code, e.smtp_error)


def read_reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            return '0 closed'
        lines.append(line.decode('utf-8', 'replace').rstrip('\r\n'))
        if len(line) < 4 or line[3:4] != b'-':
            return ' '.join(lines)


def raw(args):
    s = socket.create_connection(('127.0.0.1', args.port), timeout=20)
    f = s.makefile('rb')
    say('greeting', read_reply(f), '')
    # An argument may hold a pipelined group, lines joined by CRLF: it is
    # sent in one write, then one reply is read per command or final dot.
    verbs = {'EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'VRFY',
             'HELP', 'AUTH', 'STARTTLS', '.'}
    for group in args.lines:
        # A backslash and a 0 stand for a NUL byte, which argv cannot hold.
        s.sendall(group.replace('\\0', '\0').encode() + b'\r\n')
        for line in group.split('\r\n'):
            verb = line.split(' ')[0]
            if verb.upper() in verbs or not group.count('\r\n'):
                say(verb[:10], read_reply(f), '')


def slowloris(args):
    result = {}

    def crawl():
        s = socket.create_connection(('127.0.0.1', args.port), timeout=30)
        f = s.makefile('rb')
        read_reply(f)
        start = time.monotonic()
        try:
            for c in b'NOOP and on and on and on and on and on and on and on\r\n':
                s.sendall(bytes([c]))
                time.sleep(args.interval)
        except OSError:
            pass
        result['reply'] = read_reply(f)
        result['after'] = time.monotonic() - start

    thread = threading.Thread(target=crawl)
    thread.start()
    time.sleep(args.interval * 2)
    start = time.monotonic()
    args.starttls, args.user, args.password = True, 'printer', 'correct-horse-battery'
    args.sender, args.size, args.body_bytes = 'owner@corp.example', 0, 0
    args.mail_only = False
    deliver(args)
    say('deliver-seconds', 0, f'{time.monotonic() - start:.2f}')
    thread.join()
    say('slowloris', result['reply'], f"after {result['after']:.1f}")


def slowdata(args):
    s = socket.create_connection(('127.0.0.1', args.port), timeout=30)
    f = s.makefile('rb')
    read_reply(f)
    s.sendall(b'EHLO device.example\r\nMAIL FROM:<owner@corp.example>\r\n'
              b'RCPT TO:<a@b.example>\r\nDATA\r\n')
    for step in ('ehlo', 'mail', 'rcpt', 'data'):
        say(step, read_reply(f))
    start = time.monotonic()
    try:
        while time.monotonic() - start < 20:
            s.sendall(b'x')
            time.sleep(args.interval)
            s.setblocking(False)
            try:
                if s.recv(1, socket.MSG_PEEK):
                    break
            except BlockingIOError:
                pass
            finally:
                s.setblocking(True)
    except OSError:
        pass
    say('slowdata', read_reply(f), f'after {time.monotonic() - start:.1f}')


def idle(args):
    sockets = []
    greeted = 0
    for _ in range(args.n):
        s = socket.create_connection(('127.0.0.1', args.port), timeout=20)
        sockets.append(s)
    for s in sockets:
        if s.makefile('rb').readline().startswith(b'220'):
            greeted += 1
    say('idle-greeted', greeted)
    args.starttls, args.user, args.password = True, 'printer', 'correct-horse-battery'
    args.sender, args.size, args.body_bytes = 'owner@corp.example', 0, 0
    args.mail_only = False
    start = time.monotonic()
    deliver(args)
    say('deliver-seconds', 0, f'{time.monotonic() - start:.2f}')
    for s in sockets:
        s.close()


def connect(args):
    sockets = []
    for i in range(args.n):
        s = socket.create_connection(('127.0.0.1', args.port), timeout=20)
        sockets.append(s)
        say(f'connection-{i}', read_reply(s.makefile('rb')), '')


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='mode', required=True)
    p = sub.add_parser('deliver')
    p.add_argument('port', type=int)
    p.add_argument('--starttls', action='store_true')
    p.add_argument('--user')
    p.add_argument('--password')
    p.add_argument('--from', dest='sender', default='owner@corp.example')
    p.add_argument('--size', type=int, default=0)
    p.add_argument('--body-bytes', type=int, default=0)
    p.add_argument('--mail-only', action='store_true',
                   help='quit after MAIL: nothing is queued')
    p = sub.add_parser('raw')
    p.add_argument('port', type=int)
    p.add_argument('lines', nargs='*')
    p = sub.add_parser('slowloris')
    p.add_argument('port', type=int)
    p.add_argument('interval', type=float)
    p = sub.add_parser('slowdata')
    p.add_argument('port', type=int)
    p.add_argument('interval', type=float)
    p = sub.add_parser('idle')
    p.add_argument('port', type=int)
    p.add_argument('n', type=int)
    p = sub.add_parser('connect')
    p.add_argument('port', type=int)
    p.add_argument('n', type=int)
    args = parser.parse_args()
    {'deliver': deliver, 'raw': raw, 'slowloris': slowloris, 'slowdata': slowdata, 'idle': idle,
     'connect': connect}[args.mode](args)


if __name__ == '__main__':
    main()
