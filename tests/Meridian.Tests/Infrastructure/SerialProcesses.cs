namespace Meridian.Tests.Infrastructure;

/// <summary>Tests that start server processes and time them run alone, not beside other test classes, so a
/// measured start-up reflects the server rather than the test run's load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialProcesses
{
    public const string Name = "server processes";
}
