using System.Security.Cryptography;
using System.Text;
using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Auth;

internal sealed record RefreshOutcome(RefreshStatus Status, string? UserId, string? FamilyId)
{
    public static readonly RefreshOutcome Invalid = new(RefreshStatus.Invalid, null, null);
    public static readonly RefreshOutcome Expired = new(RefreshStatus.Expired, null, null);
    public static readonly RefreshOutcome Reused = new(RefreshStatus.Reused, null, null);
}
