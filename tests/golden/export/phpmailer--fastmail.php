<?php
// PHPMailer settings for bob@fastmail.com, made by Stamp.
// Install: composer require phpmailer/phpmailer
// The password comes from the SMTP_PASSWORD environment variable (PHP-FPM:
// env[SMTP_PASSWORD] in the pool's settings; Apache: SetEnv).
// Use it:  require_once 'mailer.php'; $mail = stamp_mailer();
// Try it:  php mailer.php you@example.com

declare(strict_types=1);

require_once __DIR__ . '/vendor/autoload.php';

use PHPMailer\PHPMailer\PHPMailer;

function stamp_mailer(): PHPMailer
{
    $mail = new PHPMailer(true);  // errors throw
    $mail->isSMTP();
    $mail->Host = 'smtp.fastmail.com';
    $mail->Port = 465;
    $mail->SMTPSecure = PHPMailer::ENCRYPTION_SMTPS;  // TLS from the first byte
    $mail->SMTPAuth = true;
    $mail->Username = 'bob@fastmail.com';
    $password = getenv('SMTP_PASSWORD');
    if ($password === false || $password === '') {
        throw new RuntimeException('Set SMTP_PASSWORD to the password of bob@fastmail.com');
    }
    $mail->Password = $password;
    $mail->Timeout = 30;
    $mail->CharSet = 'UTF-8';
    $mail->setFrom('bob@fastmail.com', 'Bob Example');
    return $mail;
}

// php mailer.php RECIPIENT: sends a test message.
if (PHP_SAPI === 'cli' && realpath($_SERVER['argv'][0] ?? '') === __FILE__) {
    if (!isset($argv[1])) {
        fwrite(STDERR, "usage: php mailer.php RECIPIENT\n");
        exit(2);
    }
    try {
        $mail = stamp_mailer();
        $mail->addAddress($argv[1]);
        $mail->Subject = 'Test from PHPMailer';
        $mail->Body = 'Sent with PHPMailer, set up by Stamp.';
        $mail->send();
    } catch (Throwable $e) {
        fwrite(STDERR, $e->getMessage() . "\n");
        exit(1);
    }
    echo "Sent.\n";
}
