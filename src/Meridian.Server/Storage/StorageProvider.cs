using Microsoft.Extensions.Options;

namespace Meridian.Server.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}
