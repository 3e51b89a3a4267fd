namespace Meridian.Tests.Web;

/// <summary>The browser tests share one server and one chromium, and run one at a time: they hold runs of a
/// shared fake model provider and cut the shared proxy, which tests beside them must not see.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedBrowser : ICollectionFixture<BrowserHarness>
{
    public const string Name = "browser";
}
