using System.Net.Http.Headers;
using Dapper;
using Meridian.Server.Cluster;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Llm;
using Meridian.Tests.Validation;
using Meridian.Tests.Web;
using Npgsql;

namespace Meridian.Tests.Cluster;

/// <summary>Three real server processes on one PostgreSQL database behind nginx (round robin, no stickiness), with
/// a fake model provider whose answers a test can hold (docs/deploy.md). Cluster tests are skipped unless both
/// <c>MERIDIAN_TEST_POSTGRES</c> and nginx are present (.ci/run provides them). A derived harness may start other
/// nodes, each with settings of its own.</summary>
public class ClusterHarness : IAsyncLifetime
{
    public static readonly string[] NodeIds = ["node-a", "node-b", "node-c"];

    private readonly Dictionary<string, ServerProcess> _nodes = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, Dictionary<string, string?>> _nodeSettings;
    private TestDatabase? _database;

    public ClusterHarness()
        : this(NodeIds.ToDictionary(id => id, _ => new Dictionary<string, string?>()))
    {
    }

    /// <summary>Nodes by id, each with <c>MERIDIAN_</c> variables added to (or replacing) the common ones.</summary>
    protected ClusterHarness(IReadOnlyDictionary<string, Dictionary<string, string?>> nodeSettings) => _nodeSettings = nodeSettings;

    public static bool Available => TestDatabase.PostgresAdmin is not null && NginxProcess.Executable is not null;

    public FakeProvider Provider { get; private set; } = null!;

    public NginxProcess Nginx { get; private set; } = null!;

    /// <summary>Where clients reach the cluster: nginx.</summary>
    public Uri BaseAddress => Nginx.BaseAddress;

    public string ConnectionString => _database!.ConnectionString!;

    public IReadOnlyDictionary<string, ServerProcess> Nodes => _nodes;

    /// <summary>Every node's output, for failure messages.</summary>
    public string Output => string.Join("\n", _nodes.Select(n => $"--- {n.Key} ---\n{n.Value.Output}")) + "\n--- nginx ---\n" + Nginx?.Output;

    public async ValueTask InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        _database = await TestDatabase.CreateAsync(StorageProvider.Postgres);
        Provider = await FakeProvider.AlwaysAsync(Wire.OpenAi, BrowserHarness.Report);
        foreach (var (id, settings) in _nodeSettings)
        {
            var environment = Environment(id);
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
            }

            _nodes[id] = ServerProcess.Start(environment);
        }

        await Task.WhenAll(_nodes.Values.Select(n => n.WaitForHealthyAsync(TimeSpan.FromSeconds(180))));
        Nginx = await NginxProcess.StartAsync(_nodes.Values.Select(n => n.BaseAddress!));
    }

    /// <summary>Skips the calling test when PostgreSQL or nginx is missing.</summary>
    public static void Require() => Assert.SkipWhen(!Available,
        $"Cluster tests run when {TestDatabase.PostgresVariable} holds a connection string and nginx is installed ({NginxProcess.DefaultPath}); .ci/run provides both.");

    /// <summary>A token (with its own <c>jti</c>, so a logout revokes it) for a new user of this test.</summary>
    public static string NewUserToken() => AuthHarness.Mint(new Dictionary<string, object>
    {
        ["sub"] = "cluster-" + Guid.NewGuid().ToString("N")[..12],
        ["jti"] = Guid.NewGuid().ToString("N"),
    });

    /// <summary>REST through nginx (or straight to one node) as the token's user.</summary>
    public HttpClient Api(string token, string? nodeId = null)
    {
        var http = new HttpClient { BaseAddress = nodeId is null ? BaseAddress : _nodes[nodeId].BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Opens sockets through nginx until one is on each of <paramref name="count"/> different nodes, keyed by
    /// node (round robin spreads them; sockets that land on a node already taken are closed).</summary>
    public async Task<Dictionary<string, WsClient>> SocketsOnNodesAsync(string token, int count)
    {
        var sockets = new Dictionary<string, WsClient>(StringComparer.Ordinal);
        for (var attempt = 0; sockets.Count < count; attempt++)
        {
            attempt.ShouldBeLessThan(30, "nginx never spread the sockets over the nodes");
            var socket = await WsClient.OpenAsync(BaseAddress, token, wait: TimeSpan.FromSeconds(30));
            var node = NodeOf(socket);
            if (!sockets.TryAdd(node, socket))
            {
                await socket.DisposeAsync();
            }
        }

        return sockets;
    }

    /// <summary>The node that took the socket, from the handshake's answer.</summary>
    public static string NodeOf(WsClient socket) => socket.ResponseHeader(ClusterExtensions.NodeHeader)
        ?? throw new InvalidOperationException($"The handshake's answer has no {ClusterExtensions.NodeHeader} header.");

    /// <summary>While the result exists, every model answer stops after its first pieces until released.</summary>
    public HeldReport Hold() => new(Provider);

    public void Kill(string nodeId) => _nodes[nodeId].Kill();

    /// <summary>The node holding the run, as the runs table says.</summary>
    public Task<string> NodeOfRunAsync(string runId) => ColumnOfRunAsync(runId, "node_id");

    public Task<string> StatusOfRunAsync(string runId) => ColumnOfRunAsync(runId, "status");

    /// <summary>Waits until every one of <paramref name="runIds"/> has <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(IReadOnlyList<string> runIds, string status, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await using var connection = new NpgsqlConnection(ConnectionString);
        while (await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM runs WHERE id = ANY(@runIds) AND status = @status", new { runIds = runIds.ToArray(), status }) < runIds.Count)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    private async Task<string> ColumnOfRunAsync(string runId, string column)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.ExecuteScalarAsync<string>($"SELECT {column} FROM runs WHERE id = @runId", new { runId }))!;
    }

    /// <summary>Settings a derived fixture gives every node on top of these, where they depend on the test database (e.g. a
    /// load test's connection budget); settings of one node come from the constructor.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> NodeSettings(TestDatabase database) => [];

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private Dictionary<string, string?> Environment(string nodeId)
    {
        var environment = BaseEnvironment(nodeId);
        foreach (var (key, value) in NodeSettings(_database!))
        {
            environment[key] = value;
        }

        return environment;
    }

    private Dictionary<string, string?> BaseEnvironment(string nodeId) => new(BrowserHarness.HeldModelEnvironment(Provider))
    {
        ["MERIDIAN_ENVIRONMENT"] = "Development",
        ["MERIDIAN_Server__DataDirectory"] = Path.Combine(_database!.DataDirectory, nodeId),
        ["MERIDIAN_Storage__Provider"] = "postgres",
        ["MERIDIAN_Storage__ConnectionString"] = _database.ConnectionString,
        ["MERIDIAN_Auth__JwtSecret"] = AuthHarness.Secret,
        ["MERIDIAN_Auth__E2EBypassKey"] = ValidationHarness.BypassKey,
        ["MERIDIAN_Runs__NodeId"] = nodeId,
        // A killed node's runs are taken over within a lease and a third (docs/runs.md#1-life-of-a-run); short for
        // the test, with room for a loaded machine's pauses so a live node never loses its lease.
        ["MERIDIAN_Runs__LeaseSeconds"] = "10",
        // Revocations must reach other nodes by notification, not by the periodic check of open sockets.
        ["MERIDIAN_Gateway__RevocationCheckSeconds"] = "300",
    };
}
