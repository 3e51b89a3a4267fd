using System.Security.Cryptography;
using System.Text;
using Dapper;
using Meridian.Server.Storage;

namespace Meridian.Server.Auth;

internal enum RefreshStatus
{
    Ok,
    Invalid,
    Expired,
    Reused,
}
