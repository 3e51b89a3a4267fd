using System.Diagnostics;
using Meridian.Testing.Processes;
using Npgsql;

namespace Meridian.Bench.Cluster;

/// <summary>A throw-away PostgreSQL server for one benchmark run, as .ci/run starts one for the tests: initdb and
/// pg_ctl from the newest /usr/lib/postgresql/*/bin, its data, socket and log in a temp folder, a free loopback
/// port; run as the <c>postgres</c> user when this process is root (PostgreSQL refuses to run as root). Its settings
/// are PostgreSQL's defaults (durable commits) except <c>max_connections</c>.</summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private const string Password = "meridian";
    private readonly string _bin;
    private readonly string _directory;

    private BenchPostgres(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Admin = $"Host=127.0.0.1;Port={port};Username=meridian;Password={Password};Database=postgres";
    }

    /// <summary>The connection string of the server's <c>postgres</c> database.</summary>
    public string Admin { get; }

    public static async Task<BenchPostgres> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderBy(b => new Version(Path.GetFileName(Path.GetDirectoryName(b))! + ".0")).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql");
        var directory = Directory.CreateTempSubdirectory("meridian-bench-pg-").FullName;
        var postgres = new BenchPostgres(bin, directory, FreePort.Next());
        await File.WriteAllTextAsync(Path.Combine(directory, "pw"), Password + "\n");
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "postgres", directory]);
        }

        await postgres.AsOwnerAsync("initdb", ["-D", Path.Combine(directory, "data"), "-U", "meridian", $"--pwfile={Path.Combine(directory, "pw")}", "--auth=scram-sha-256"]);
        var port = new NpgsqlConnectionStringBuilder(postgres.Admin).Port;
        await postgres.AsOwnerAsync("pg_ctl", ["-D", Path.Combine(directory, "data"), "-l", Path.Combine(directory, "log"), "-w",
            "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"]);
        return postgres;
    }

    /// <summary>Creates an empty database and returns its connection string, with a pool of
    /// <paramref name="pool"/> connections per process (docs/deploy.md#4-postgresql-sizing-and-connections).</summary>
    public async Task<string> CreateDatabaseAsync(string name, int pool)
    {
        await using (var connection = new NpgsqlConnection(Admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Admin) { Database = name, MaxPoolSize = pool }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AsOwnerAsync("pg_ctl", ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "stop"]);
        Directory.Delete(_directory, recursive: true);
    }

    private Task AsOwnerAsync(string tool, string[] args) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
        : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
