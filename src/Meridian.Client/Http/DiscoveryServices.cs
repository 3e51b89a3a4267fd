namespace Meridian.Client.Http;

public sealed record DiscoveryServices(ServiceUrl? Backend, ServiceUrl? Auth, ServiceUrl? Websocket);
