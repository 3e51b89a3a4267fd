using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Meridian.Testing.Processes;

/// <summary>nginx as a plain round-robin load balancer in front of several Meridian nodes, run as a child process
/// with its own configuration, pid and log files in a temp folder (never the system's service): WebSocket upgrade
/// headers passed on, a read timeout above the gateway's heartbeat, no stickiness (docs/deploy.md).</summary>
public sealed class NginxProcess : IAsyncDisposable
{
    /// <summary>Where Debian installs it; <c>MERIDIAN_TEST_NGINX</c> names another.</summary>
    public const string DefaultPath = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private NginxProcess(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    /// <summary>The nginx executable, or null when there is none on this machine.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("MERIDIAN_TEST_NGINX") is { Length: > 0 } path ? path
        : File.Exists(DefaultPath) ? DefaultPath : null;

    /// <summary>Where clients reach the nodes (http://127.0.0.1:port/).</summary>
    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output + (File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "");
            }
        }
    }

    public static async Task<NginxProcess> StartAsync(IEnumerable<Uri> upstreams, TimeSpan? timeout = null)
    {
        var executable = Executable ?? throw new InvalidOperationException($"nginx is not installed ({DefaultPath})");
        var directory = Directory.CreateTempSubdirectory("meridian-nginx-").FullName;
        var port = FreePort.Next();
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(port, directory, upstreams));
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "-p", directory, "-c", config },
        };
        var process = new Process { StartInfo = info };
        var nginx = new NginxProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => nginx.Append(e.Data);
        process.ErrorDataReceived += (_, e) => nginx.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await nginx.WaitForPortAsync(timeout ?? TimeSpan.FromSeconds(30));
        return nginx;
    }

    /// <summary>The configuration: one worker, round robin over <paramref name="upstreams"/>, everything in
    /// <paramref name="directory"/>.</summary>
    public static string Config(int port, string directory, IEnumerable<Uri> upstreams)
    {
        var servers = string.Concat(upstreams.Select(u => $"    server {u.Host}:{u.Port};\n"));
        // A master started as root would hand the workers to 'nobody', who cannot enter the private temp folder.
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        return $$"""
            {{user}}worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/client_body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
              upstream meridian {
            {{servers}}    keepalive 32;
              }
              server {
                listen 127.0.0.1:{{port}};
                client_max_body_size 64m;
                location / {
                  proxy_pass http://meridian;
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $http_host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                  proxy_read_timeout 120s;
                  proxy_send_timeout 120s;
                  proxy_buffering off;
                }
              }
            }
            """;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A worker still closing its files; the temp folder is cleaned by the OS.
        }
    }

    private async Task WaitForPortAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(BaseAddress.Host, BaseAddress.Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nginx did not listen within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
