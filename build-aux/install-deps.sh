#!/bin/sh
# install-deps.sh
#
# Copyright 2026 The Stamp authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The one list of what Stamp needs to build, run and test. The README's
# commands and CI both call this script, so a fresh machine gets exactly
# what a developer's machine has.

set -eu

DEBIAN_PACKAGES="
  build-essential meson ninja-build pkg-config gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libgnutls28-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev
  libpsl-dev publicsuffix
  desktop-file-utils appstream
  gnutls-bin python3-aiosmtpd
  xvfb xauth dbus dbus-x11 gnome-keyring
  at-spi2-core gir1.2-atspi-2.0 python3-gi
  librsvg2-common fonts-cantarell adwaita-icon-theme
  swaks msmtp curl libio-socket-ssl-perl libnet-ssleay-perl python3-cryptography
  libcairo2-dev libpango1.0-dev zlib1g-dev
  php-cli postfix poppler-utils libxml2-utils nodejs git
  node-nodemailer libphp-phpmailer git-email libauthen-sasl-perl
"

FEDORA_PACKAGES="gcc meson ninja-build pkgconf gettext itstool glib2-devel gtk4-devel
  libadwaita-devel gnutls-devel libsoup3-devel json-glib-devel libsecret-devel
  libpsl-devel publicsuffix-list
  desktop-file-utils appstream gnutls-utils python3-aiosmtpd xorg-x11-server-Xvfb
  dbus-daemon gnome-keyring at-spi2-core python3-gobject librsvg2 abattis-cantarell-fonts adwaita-icon-theme swaks msmtp
  cairo-devel pango-devel zlib-devel php-cli postfix poppler-utils libxml2 nodejs git
  php-phpmailer6 git-email perl-Authen-SASL python3-cryptography"

missing_packages ()
{
  for pkg in $DEBIAN_PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
      || printf '%s ' "$pkg"
  done
}

if ! command -v apt-get >/dev/null 2>&1; then
  echo "This script installs with apt (Debian, Ubuntu). On Fedora run:"
  echo "  sudo dnf install $(echo $FEDORA_PACKAGES)"
  exit 1
fi

missing=$(missing_packages)
if [ -z "$missing" ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "Installing: $missing"
# postfix is installed for its postconf and postmap, which check the
# exported settings, and for the private instance the TLS tests start; it
# must not ask questions or configure a mail system.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -q
# shellcheck disable=SC2086 # the list is meant to split into words
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
