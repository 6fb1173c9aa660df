namespace Orlog.Log.Files;

/// <summary>Opens (creating if absent) the <c>.log</c> file at a path.</summary>
public delegate ILogFile LogFileFactory(string path);
