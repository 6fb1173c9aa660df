using System.Buffers;
using Orleans;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Orlog.Partitions;

/// <summary>
/// Writes <see cref="ProduceBatches"/> as a length-prefixed byte field (as Orleans writes a byte
/// array) and reads it into a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
[RegisterSerializer]
public sealed class ProduceBatchesCodec : IFieldCodec<ProduceBatches>
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, ProduceBatches? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(ProduceBatches), WireType.LengthPrefixed);
        if (value!.IsMissing)
        {
            writer.WriteVarUInt32(0);
            return;
        }

        writer.WriteVarUInt32((uint)value.Length + 1);
        writer.Write(value.Span);
    }

    public ProduceBatches? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<ProduceBatches, TInput>(ref reader, field);
        }

        field.EnsureWireType(WireType.LengthPrefixed);
        var lengthPlusOne = reader.ReadVarUInt32();
        ProduceBatches result;
        if (lengthPlusOne == 0)
        {
            result = new ProduceBatches(null);
        }
        else
        {
            var length = checked((int)(lengthPlusOne - 1));

            // A length the message cannot hold fails here, before it rents anything.
            reader.EnsureAvailable(lengthPlusOne - 1);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            reader.ReadBytes(buffer.AsSpan(0, length));
            result = ProduceBatches.FromRented(buffer, length);
        }

        ReferenceCodec.RecordObject(reader.Session, result);
        return result;
    }
}

/// <summary>Passes <see cref="ProduceBatches"/> by reference between co-hosted grains, like an <see cref="Orleans.Concurrency.Immutable{T}"/>.</summary>
[RegisterCopier]
public sealed class ProduceBatchesCopier : IDeepCopier<ProduceBatches>
{
    public ProduceBatches? DeepCopy(ProduceBatches? input, CopyContext context) => input;
}
