namespace Meridian.Server.Workloads;

/// <summary>What the first bytes of an upload say (<see cref="ImportSniffer"/>): the export format they are in, if
/// they tell; whether the body is JSON; whether its first top-level object holds a <c>data</c> array (an API's page)
/// rather than being an item itself.</summary>
internal readonly record struct ContentSniff(ImportFormat? Format, bool IsJson, bool RootHasData);
