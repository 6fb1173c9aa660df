namespace Orlog.Log.Files;

/// <summary>
/// Positional I/O on one segment's <c>.log</c> file: the only seam between the engine and the
/// disk, so tests can put a file that fails or tears a write in its place.
/// </summary>
public interface ILogFile : IDisposable
{
    string Path { get; }

    long Length { get; }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="position"/> or throws.</summary>
    void Write(long position, ReadOnlySpan<byte> data);

    /// <summary>Reads up to <c>buffer.Length</c> bytes; returns fewer only at the end of the file.</summary>
    int Read(long position, Span<byte> buffer);

    /// <summary>Forces written data to stable storage (fsync).</summary>
    void Flush();

    void Truncate(long length);

    /// <summary>Closes the file and removes it from disk.</summary>
    void Delete();
}
