using System.Security.Cryptography;
using System.Text;

namespace Meridian.Server.Storage;

/// <summary>A versioned SQL script shipped inside the assembly (<c>Storage/Migrations/{provider}/NNNN_name.sql</c>).</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)))[..16];
}
