// Nodemailer settings for scanner@contoso.com, made by Stamp.
// Install: npm install nodemailer
// No sign-in: the server lets this machine send without one.
// Use it:  const { transporter, from } = require("./mailer");
// Try it:  node mailer.js you@example.com
"use strict";

const nodemailer = require("nodemailer");

const from = { name: "Office Scanner", address: "scanner@contoso.com" };

const transporter = nodemailer.createTransport({
  host: "contoso-com.mail.protection.outlook.com",
  port: 25,
  secure: false,
  requireTLS: true, // STARTTLS, and never without it
});

module.exports = { transporter, from };

// node mailer.js [RECIPIENT]: checks the connection, then sends a test message.
if (require.main === module) {
  (async () => {
    await transporter.verify();
    console.log("Connected to contoso-com.mail.protection.outlook.com");
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
