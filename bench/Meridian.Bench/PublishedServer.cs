using System.Diagnostics;
using Meridian.Testing.Processes;

namespace Meridian.Bench;

/// <summary>The real server as its own process for a benchmark: a Release publish of src/Meridian.Server into
/// artifacts/bench-server, started (<see cref="ServerProcess"/>) on a free loopback port in Production with SQLite in
/// a temp folder of its own, the benchmarks' token key, and logging at Warning.</summary>
internal sealed class PublishedServer : IAsyncDisposable
{
    private readonly string _data;

    private PublishedServer(ServerProcess process, string data)
    {
        Process = process;
        _data = data;
        Http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServerProcess Process { get; }

    public int Pid => Process.Id;

    public Uri BaseAddress => Process.BaseAddress!;

    public HttpClient Http { get; }

    /// <summary>Publishes src/Meridian.Server (Release) once; returns the apphost to start servers from.</summary>
    public static async Task<string> PublishAsync()
    {
        var root = Results.RepoRoot();
        var output = Path.Combine(root, "artifacts", "bench-server");
        Console.WriteLine($"publishing src/Meridian.Server (Release) to {output}");
        // Into an empty folder: a publish over an older one keeps assemblies the server no longer ships (and, where an
        // old file looks unchanged, loads the wrong version of a dependency).
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var publish = System.Diagnostics.Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(root, "src", "Meridian.Server", "Meridian.Server.csproj"), "-c", "Release", "-o", output, "--nologo", "-v", "q"])
        { UseShellExecute = false })!;
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet publish of the server failed");
        }

        return Path.Combine(output, "Meridian.Server");
    }

    /// <summary>Starts the published server as node <paramref name="nodeId"/> and waits until it is healthy;
    /// <paramref name="settings"/> (MERIDIAN_ variables) come on top of the benchmark's.</summary>
    public static async Task<PublishedServer> StartAsync(string apphost, IReadOnlyDictionary<string, string> settings, string nodeId)
    {
        var data = Directory.CreateTempSubdirectory("meridian-bench-ws-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["MERIDIAN_ENVIRONMENT"] = "Production",
            ["MERIDIAN_Server__DataDirectory"] = data,
            ["MERIDIAN_Auth__JwtSecret"] = BenchAuth.Secret,
            ["MERIDIAN_Logging__LogLevel__Default"] = "Warning",
            ["MERIDIAN_Runs__NodeId"] = nodeId,
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = ServerProcess.Start(environment, executable: apphost, workingDirectory: data, echo: Echo);
        var server = new PublishedServer(process, data);
        try
        {
            await process.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private static void Echo(string line)
    {
        if (line.Length > 0)
        {
            Console.WriteLine("[server] " + line);
        }
    }
}
