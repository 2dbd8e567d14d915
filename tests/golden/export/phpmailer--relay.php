<?php
// PHPMailer settings for scanner@contoso.com, made by Stamp.
// Install: composer require phpmailer/phpmailer
// No sign-in: the server lets this machine send without one.
// Use it:  require_once 'mailer.php'; $mail = stamp_mailer();
// Try it:  php mailer.php you@example.com

declare(strict_types=1);

require_once __DIR__ . '/vendor/autoload.php';

use PHPMailer\PHPMailer\PHPMailer;

function stamp_mailer(): PHPMailer
{
    $mail = new PHPMailer(true);  // errors throw
    $mail->isSMTP();
    $mail->Host = 'contoso-com.mail.protection.outlook.com';
    $mail->Port = 25;
    $mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS;
    $mail->SMTPAuth = false;
    $mail->Timeout = 30;
    $mail->CharSet = 'UTF-8';
    $mail->setFrom('scanner@contoso.com', 'Office Scanner');
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
