using Orleans.Storage;

namespace Orlog.Storage;

/// <summary>Settings of a <see cref="FileGrainStorage"/> provider (one instance per provider name).</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>Where grain state lives unless configured otherwise, relative to the silo's working directory.</summary>
    public const string DefaultRootDirectory = "./data/metadata";

    /// <summary>
    /// The directory holding one sub-directory per state name, each holding one <c>.state</c> file per grain.
    /// A relative path is resolved against the working directory when the provider is created.
    /// </summary>
    /// <remarks>
    /// The directory belongs to one silo process: the ETag check is serialized inside the process only,
    /// so two processes writing the same directory could both win a conflicting write.
    /// </remarks>
    public string RootDirectory { get; set; } = DefaultRootDirectory;

    /// <summary>
    /// The serializer of the state payload. When null, a serializer registered under the provider's name
    /// (a keyed <see cref="IGrainStorageSerializer"/>) is used, else Orleans' binary serializer
    /// (<see cref="OrleansGrainStorageSerializer"/>) — not the silo-wide default, which is Newtonsoft JSON.
    /// </summary>
    /// <remarks>Files are read back with the serializer that reads them: changing it makes existing state unreadable.</remarks>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }

    /// <summary>Throws when a setting cannot work.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(RootDirectory, nameof(RootDirectory));
        if (RootDirectory.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new ArgumentException($"The root directory '{RootDirectory}' contains characters that are not valid in a path.", nameof(RootDirectory));
        }
    }
}
