using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Meridian.Server;

using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Infrastructure;

/// <summary>Meridian as a separate OS process (the built Meridian.Server.dll), for what only a process shows:
/// exit codes, signals, a kill in the middle of work, two processes sharing a database.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, Uri? baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri? BaseAddress { get; }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Task<int> Exited => _exited.Task;

    /// <summary>Starts the server (or, with <paramref name="args"/> such as <c>migrate</c>, another verb) with the
    /// given environment variables. When <paramref name="listen"/> is true it gets a free loopback port.</summary>
    public static ServerProcess Start(IDictionary<string, string?> environment, string[]? args = null, bool listen = true)
    {
        var serverDll = typeof(MeridianApp).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        info.ArgumentList.Add(serverDll);
        foreach (var arg in args ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        Uri? baseAddress = null;
        if (listen)
        {
            baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
            info.Environment["MERIDIAN_URLS"] = baseAddress.ToString().TrimEnd('/');
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MERIDIAN_", StringComparison.Ordinal) && k != "MERIDIAN_URLS").ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Exited += (_, _) => server._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for <c>GET /health</c> to answer 200.</summary>
    public async Task WaitForHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (Exited.IsCompleted)
            {
                throw new InvalidOperationException($"The server exited with {await Exited}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The server was not healthy within {timeout}:\n{Output}");
    }

    public void Signal(PosixSignal signal)
    {
        var number = signal switch
        {
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGINT => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(signal)),
        };
        using var kill = Process.Start("kill", [$"-{number}", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout) => await Exited.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
