using Meridian.Server;

return await MeridianApp.RunAsync(args);
