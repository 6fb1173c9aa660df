using Orlog.Cli;

return await OrlogCommand.Create().Parse(args).InvokeAsync();
