// Nodemailer settings for bob@fastmail.com, made by Stamp.
// Install: npm install nodemailer
// The password comes from the SMTP_PASSWORD environment variable.
// Use it:  const { transporter, from } = require("./mailer");
// Try it:  node mailer.js you@example.com
"use strict";

const nodemailer = require("nodemailer");

const from = { name: "Bob Example", address: "bob@fastmail.com" };

if (!process.env.SMTP_PASSWORD) {
  throw new Error("Set SMTP_PASSWORD to the password of bob@fastmail.com");
}

const transporter = nodemailer.createTransport({
  host: "smtp.fastmail.com",
  port: 465,
  secure: true, // TLS from the first byte
  auth: {
    user: "bob@fastmail.com",
    pass: process.env.SMTP_PASSWORD,
  },
});

module.exports = { transporter, from };

// node mailer.js [RECIPIENT]: checks the connection, then sends a test message.
if (require.main === module) {
  (async () => {
    await transporter.verify();
    console.log("Signed in to smtp.fastmail.com");
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
