using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Meridian.Server;

namespace Meridian.Testing.Processes;

/// <summary>Meridian as a separate OS process, for what only a process shows: exit codes, signals, a kill in the
/// middle of work, two processes sharing a database, the memory one process holds. It runs the built
/// Meridian.Server.dll (or another build, such as the benchmarks' Release publish) with only the
/// <c>MERIDIAN_</c> variables it is given, on a free loopback port.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _echo;

    private ServerProcess(Process process, Uri? baseAddress, Action<string>? echo)
    {
        _process = process;
        _echo = echo;
        BaseAddress = baseAddress;
    }

    /// <summary>Where it listens (http://127.0.0.1:port/), or null when started with <c>listen: false</c>.</summary>
    public Uri? BaseAddress { get; }

    /// <summary>Its <c>/ws</c> endpoint.</summary>
    public Uri WsUri => new($"ws://{BaseAddress!.Authority}/ws");

    public int Id => _process.Id;

    /// <summary>Everything it wrote to stdout and stderr so far.</summary>
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
    /// <param name="executable">Meridian.Server.dll (run with <c>dotnet</c>) or a published apphost; by default
    /// the Meridian.Server.dll built beside this assembly.</param>
    /// <param name="workingDirectory">By default the executable's folder.</param>
    /// <param name="echo">Called with each line it writes, besides keeping it in <see cref="Output"/>.</param>
    public static ServerProcess Start(
        IDictionary<string, string?> environment, string[]? args = null, bool listen = true,
        string? executable = null, string? workingDirectory = null, Action<string>? echo = null)
    {
        var info = StartInfo(executable ?? typeof(MeridianApp).Assembly.Location, args, workingDirectory);
        Uri? baseAddress = null;
        if (listen)
        {
            baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            info.Environment["MERIDIAN_URLS"] = baseAddress.ToString().TrimEnd('/');
        }

        // Only what the caller gives: the environment of the machine running the tests configures nothing.
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
        var server = new ServerProcess(process, baseAddress, echo);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Exited += (_, _) => server._exited.TrySetResult(process.ExitCode);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for <c>GET /health</c> to answer 200 (started, not draining).</summary>
    public async Task WaitForHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (Exited.IsCompleted)
            {
                throw new InvalidOperationException($"The server exited with {await WaitForExitAsync(timeout)}:\n{Output}");
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

    /// <summary>The exit code, once the process has exited and its last lines of output are in <see cref="Output"/>
    /// (the exit is signalled before the output readers have read to the end; the process's own wait waits for them).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var code = await Exited.WaitAsync(timeout);
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string executable, string[]? args, string? workingDirectory)
    {
        var dll = executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(dll ? "dotnet" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(executable)!,
        };
        if (dll)
        {
            info.ArgumentList.Add(executable);
        }

        foreach (var arg in args ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        return info;
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

        _echo?.Invoke(line);
    }
}
