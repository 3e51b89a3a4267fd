using Meridian.Cli;

return await MeridianCli.RunAsync(args);
