// Nodemailer settings for alice@contoso.com, made by Stamp.
// Install: npm install nodemailer
// This account sends through Microsoft Graph in Stamp; Nodemailer cannot.
// These settings use SMTP with OAuth (XOAUTH2) instead, which works
// only where the tenant allows SMTP AUTH: switch the account to SMTP
// in Stamp and test it there first. Where SMTP AUTH stays off, send
// through Stamp Relay, which sends through Microsoft Graph.
// Access tokens come from Stamp (stamp-cli), signed in as the user that
// runs this.
// Use it:  const { transporter, from } = require("./mailer");
// Try it:  node mailer.js you@example.com
"use strict";

const { execFileSync } = require("child_process");
const nodemailer = require("nodemailer");

const from = { name: "Alice Contoso", address: "alice@contoso.com" };

// Stamp keeps the sign-in and prints an access token with at least five
// minutes left, refreshing it first when needed.
function accessToken() {
  return execFileSync("stamp-cli", ["token", "alice@contoso.com"], { encoding: "utf8" }).trim();
}

const transporter = nodemailer.createTransport({
  host: "smtp.office365.com",
  port: 587,
  secure: false,
  requireTLS: true, // STARTTLS, and never without it
  auth: {
    type: "OAuth2",
    user: "alice@contoso.com",
    // Nodemailer asks for a token before signing in, when the last one is
    // four minutes old, and when the server refused one.
    provisionCallback: (user, renew, callback) => {
      try {
        callback(null, accessToken(), Date.now() + 4 * 60 * 1000);
      } catch (err) {
        callback(err);
      }
    },
  },
});

module.exports = { transporter, from };

// node mailer.js [RECIPIENT]: checks the connection, then sends a test message.
if (require.main === module) {
  (async () => {
    await transporter.verify();
    console.log("Signed in to smtp.office365.com");
    const to = process.argv[2];
    if (to) {
      const info = await transporter.sendMail({
        from,
        to,
        subject: "Test from Nodemailer",
        text: "Sent with Nodemailer, set up by Stamp.",
      });
      console.log("Sent: " + info.messageId);
    }
  })().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
