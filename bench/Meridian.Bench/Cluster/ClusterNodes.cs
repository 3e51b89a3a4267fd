namespace Meridian.Bench.Cluster;

/// <summary>Published server processes as nodes of one cluster on a PostgreSQL database.</summary>
internal static class ClusterNodes
{
    /// <summary>A node's settings on <paramref name="database"/>. The per-user message rate is raised (600 a minute,
    /// bursts of 100) so that the benchmark's users, each sending its next message as soon as its run ends, are
    /// limited by the nodes' work and not by the gateway's flood limit. No node dies here: leases of 60 s keep a run
    /// that waits long behind a busy node's executing ones from being taken for a dead node's
    /// (docs/deploy.md#5-a-node-dies-a-node-drains).</summary>
    public static Dictionary<string, string> Settings(string database) => new()
    {
        ["MERIDIAN_Storage__Provider"] = "postgres",
        ["MERIDIAN_Storage__ConnectionString"] = database,
        ["MERIDIAN_Gateway__MessagesPerMinute"] = "600",
        ["MERIDIAN_Gateway__MessageBurst"] = "100",
        ["MERIDIAN_Runs__LeaseSeconds"] = "60",
    };

    /// <summary>Starts <paramref name="count"/> nodes one after another (the first migrates the database).</summary>
    public static async Task<List<PublishedServer>> StartAsync(string apphost, string database, int count)
    {
        var nodes = new List<PublishedServer>();
        try
        {
            for (var i = 1; i <= count; i++)
            {
                nodes.Add(await PublishedServer.StartAsync(apphost, Settings(database), $"bench-node-{i}"));
            }

            return nodes;
        }
        catch
        {
            await StopAsync(nodes);
            throw;
        }
    }

    public static async Task StopAsync(IEnumerable<PublishedServer> nodes)
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }
}
