<?php
// PHPMailer settings for alice@contoso.com, made by Stamp.
// Install: composer require phpmailer/phpmailer (6.6 or newer)
// This account sends through Microsoft Graph in Stamp; PHPMailer cannot.
// These settings use SMTP with OAuth (XOAUTH2) instead, which works
// only where the tenant allows SMTP AUTH: switch the account to SMTP
// in Stamp and test it there first. Where SMTP AUTH stays off, send
// through Stamp Relay, which sends through Microsoft Graph.
// Access tokens come from Stamp (stamp-cli), signed in as the user that
// runs this.
// Use it:  require_once 'mailer.php'; $mail = stamp_mailer();
// Try it:  php mailer.php you@example.com

declare(strict_types=1);

require_once __DIR__ . '/vendor/autoload.php';

use PHPMailer\PHPMailer\Exception;
use PHPMailer\PHPMailer\OAuthTokenProvider;
use PHPMailer\PHPMailer\PHPMailer;

// Gives PHPMailer the XOAUTH2 sign-in at every connection. Stamp keeps the
// sign-in and prints an access token with at least five minutes left.
final class StampTokenProvider implements OAuthTokenProvider
{
    private const COMMAND = ['stamp-cli', 'token', 'alice@contoso.com'];

    public function getOauth64(): string
    {
        exec(implode(' ', array_map('escapeshellarg', self::COMMAND)), $output, $status);
        $token = trim($output[0] ?? '');
        if ($status !== 0 || $token === '') {
            throw new Exception('stamp-cli token gave no access token');
        }
        return base64_encode('user=alice@contoso.com' . "\x01auth=Bearer " . $token . "\x01\x01");
    }
}

function stamp_mailer(): PHPMailer
{
    $mail = new PHPMailer(true);  // errors throw
    $mail->isSMTP();
    $mail->Host = 'smtp.office365.com';
    $mail->Port = 587;
    $mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS;
    $mail->SMTPAuth = true;
    $mail->AuthType = 'XOAUTH2';
    $mail->Username = 'alice@contoso.com';
    $mail->setOAuth(new StampTokenProvider());
    $mail->Timeout = 30;
    $mail->CharSet = 'UTF-8';
    $mail->setFrom('alice@contoso.com', 'Alice Contoso');
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
