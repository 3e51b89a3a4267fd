using System.Net.Mail;

namespace Meridian.Server.Auth;

/// <summary>What makes an email address and a password acceptable at registration.</summary>
internal static class CredentialRules
{
    public const int MinimumPasswordLength = 10;

    // Long enough to hold any sane passphrase, short enough that hashing it is cheap.
    public const int MaximumPasswordLength = 256;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The given display name, or the local part of the email when none was given.</summary>
    public static string DisplayName(string? name, string normalizedEmail) =>
        string.IsNullOrWhiteSpace(name) ? normalizedEmail[..normalizedEmail.IndexOf('@', StringComparison.Ordinal)] : name.Trim();

    /// <summary>Null when acceptable, else the reason.</summary>
    public static string? CheckEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "Email is required.";
        }

        var normalized = NormalizeEmail(email);
        return normalized.Length <= 254
            && MailAddress.TryCreate(normalized, out var address)
            && address.Address == normalized
            && address.Host.Contains('.', StringComparison.Ordinal)
            && !address.Host.EndsWith('.')
            ? null
            : "Email is not a valid address.";
    }

    /// <summary>Null when acceptable, else the reason.</summary>
    public static string? CheckPassword(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Password is required.";
        }

        if (password.Length < MinimumPasswordLength)
        {
            return $"Password must be at least {MinimumPasswordLength} characters.";
        }

        if (password.Length > MaximumPasswordLength)
        {
            return $"Password must be at most {MaximumPasswordLength} characters.";
        }

        if (CommonPasswords.Contains(password)
            || (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return "Password is too common; choose another.";
        }

        return null;
    }
}
