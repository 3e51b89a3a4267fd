using System.Text.Json;

namespace Meridian.Server.Auth;

/// <summary>A row of <c>users</c>. Permissions are stored as a JSON array of strings.</summary>
internal sealed class UserRecord
{
    public const string Columns =
        "id AS Id, email AS Email, name AS Name, password_hash AS PasswordHash, permissions AS Permissions, disabled AS Disabled, created_at AS CreatedAt";

    public string Id { get; set; } = "";

    public string? Email { get; set; }

    public string Name { get; set; } = "";

    public string? PasswordHash { get; set; }

    public string Permissions { get; set; } = "[]";

    public bool Disabled { get; set; }

    public long CreatedAt { get; set; }

    public IReadOnlyList<string> PermissionList => ParsePermissions(Permissions);

    public UserView ToView() => new(Id, Email, Name, PermissionList, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));

    public static string SerializePermissions(IEnumerable<string> permissions) =>
        JsonSerializer.Serialize(permissions.Distinct(StringComparer.Ordinal).ToArray());

    /// <summary>Tolerates anything in the column: a row edited by hand must not break sign-in.</summary>
    public static IReadOnlyList<string> ParsePermissions(string? json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json ?? "[]") ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
