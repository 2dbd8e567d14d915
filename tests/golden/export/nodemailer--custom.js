// Nodemailer settings for dave@example.org, made by Stamp.
// Install: npm install nodemailer
// The password comes from the SMTP_PASSWORD environment variable.
// Use it:  const { transporter, from } = require("./mailer");
// Try it:  node mailer.js you@example.com
"use strict";

const fs = require("fs");
const nodemailer = require("nodemailer");

const from = { name: "Dave \"The Printer\" O'Neil", address: "dave@example.org" };

if (!process.env.SMTP_PASSWORD) {
  throw new Error("Set SMTP_PASSWORD to the password of dave@example.org");
}

const transporter = nodemailer.createTransport({
  host: "smtp.example.org",
  port: 587,
  secure: false,
  requireTLS: true, // STARTTLS, and never without it
  tls: { ca: fs.readFileSync("/etc/ssl/certs/example-org-ca.pem") },
  name: "printer.example.org", // the EHLO name
  authMethod: "LOGIN",
  auth: {
    user: "dave",
    pass: process.env.SMTP_PASSWORD,
  },
});

module.exports = { transporter, from };

// node mailer.js [RECIPIENT]: checks the connection, then sends a test message.
if (require.main === module) {
  (async () => {
    await transporter.verify();
    console.log("Signed in to smtp.example.org");
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
