using Hush.Cli;

return HushApp.Run(args);
