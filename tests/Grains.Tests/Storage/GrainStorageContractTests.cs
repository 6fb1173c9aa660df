using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Xunit;

namespace Orlog.Storage;

/// <summary>
/// What every <see cref="IGrainStorage"/> of Orlog promises, run against each implementation by a
/// subclass that supplies <see cref="CreateStorage"/>. Written against the interface only; every test
/// uses fresh grain ids, so implementations may share one store across tests.
/// </summary>
public abstract class GrainStorageContractTests
{
    protected const string StateName = "state";

    private static readonly Lazy<IServiceProvider> Serialization = new(() =>
        new ServiceCollection().AddSerializer(serializer => serializer.AddAssembly(typeof(TestState).Assembly)).BuildServiceProvider());

    private IGrainStorage? _storage;

    /// <summary>Orleans' binary serializer for grain state, built without a silo.</summary>
    protected static IGrainStorageSerializer StorageSerializer { get; } =
        new OrleansGrainStorageSerializer(Serialization.Value.GetRequiredService<Serializer>());

    /// <summary>Creates the empty state a missing record reads as, as a silo would.</summary>
    protected static IActivatorProvider ActivatorProvider => Serialization.Value.GetRequiredService<IActivatorProvider>();

    /// <summary>The store under test: a new instance over the same underlying store each call (a restart).</summary>
    protected abstract IGrainStorage CreateStorage();

    protected IGrainStorage Storage => _storage ??= CreateStorage();

    protected static GrainId NewGrainId() => GrainId.Create("test", Guid.NewGuid().ToString("N"));

    protected static TestState Sample(long count) => new() { Name = $"state-{count}", Count = count };

    protected async Task<GrainState<TestState>> ReadAsync(GrainId grainId, string stateName = StateName)
    {
        var state = new GrainState<TestState>();
        await Storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    protected async Task<GrainState<TestState>> WriteNewAsync(GrainId grainId, TestState value, string stateName = StateName)
    {
        var state = new GrainState<TestState>(value);
        await Storage.WriteStateAsync(stateName, grainId, state);
        return state;
    }

    [Fact]
    public async Task ANewInstanceOverTheSameStore_ReadsTheState_AndContinuesItsETags()
    {
        var id = NewGrainId();
        var written = await WriteNewAsync(id, Sample(1));

        var restarted = CreateStorage();
        var read = new GrainState<TestState>();
        await restarted.ReadStateAsync(StateName, id, read);

        Assert.Equal(Sample(1), read.State);
        Assert.Equal(written.ETag, read.ETag);
        read.State = Sample(2);
        await restarted.WriteStateAsync(StateName, id, read);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, written));
    }

    [Fact]
    public async Task Read_OfAMissingState_FindsNoRecord_AndAnEmptyState()
    {
        var state = await ReadAsync(NewGrainId());

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(new TestState(), state.State);
    }

    [Fact]
    public async Task Write_ThenRead_RoundTripsTheState_AndTheETag()
    {
        var id = NewGrainId();

        var written = await WriteNewAsync(id, Sample(7));
        var read = await ReadAsync(id);

        Assert.True(written.RecordExists);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(Sample(7), read.State);
    }

    [Fact]
    public async Task Write_ChangesTheETagEveryTime()
    {
        var id = NewGrainId();
        var state = new GrainState<TestState>();
        var etags = new HashSet<string>();

        for (var i = 0; i < 5; i++)
        {
            state.State = Sample(i);
            await Storage.WriteStateAsync(StateName, id, state);
            Assert.True(etags.Add(state.ETag!), $"ETag {state.ETag} repeated at write {i}");
        }

        var read = await ReadAsync(id);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(Sample(4), read.State);
    }

    [Fact]
    public async Task Write_WithAStaleETag_Throws_AndLeavesTheStoredStateUnchanged()
    {
        var id = NewGrainId();
        var first = await WriteNewAsync(id, Sample(1));
        var stale = await ReadAsync(id);
        first.State = Sample(2);
        await Storage.WriteStateAsync(StateName, id, first);

        stale.State = Sample(99);
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, stale));

        Assert.Equal(first.ETag, error.StoredEtag);
        Assert.Equal(stale.ETag, error.CurrentEtag);
        var read = await ReadAsync(id);
        Assert.Equal(Sample(2), read.State);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task Write_WithoutAnETag_WhenARecordExists_Throws()
    {
        var id = NewGrainId();
        var existing = await WriteNewAsync(id, Sample(1));

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteNewAsync(id, Sample(2)));

        var read = await ReadAsync(id);
        Assert.Equal(Sample(1), read.State);
        Assert.Equal(existing.ETag, read.ETag);
    }

    [Fact]
    public async Task Write_WithAnETag_WhenNoRecordExists_Throws()
    {
        var id = NewGrainId();
        var elsewhere = await WriteNewAsync(NewGrainId(), Sample(1));
        var state = new GrainState<TestState>(Sample(2), elsewhere.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, state));

        Assert.False((await ReadAsync(id)).RecordExists);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ActivationsRacingWithTheSameETag_ExactlyOneWins(bool recordExists)
    {
        for (var round = 0; round < 10; round++)
        {
            var id = NewGrainId();
            if (recordExists)
            {
                await WriteNewAsync(id, Sample(-1));
            }

            var activations = new GrainState<TestState>[4];
            for (var i = 0; i < activations.Length; i++)
            {
                activations[i] = await ReadAsync(id);
                activations[i].State = Sample(i);
            }

            var won = await Task.WhenAll(activations.Select(activation => Task.Run(async () =>
            {
                try
                {
                    await Storage.WriteStateAsync(StateName, id, activation);
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            })));

            var winner = Assert.Single(activations.Where((_, i) => won[i]));
            var read = await ReadAsync(id);
            Assert.Equal(winner.State, read.State);
            Assert.Equal(winner.ETag, read.ETag);
        }
    }

    [Fact]
    public async Task Clear_WithTheCurrentETag_RemovesTheRecord()
    {
        var id = NewGrainId();
        var state = await WriteNewAsync(id, Sample(1));

        await Storage.ClearStateAsync(StateName, id, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        var read = await ReadAsync(id);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(new TestState(), read.State);
    }

    [Fact]
    public async Task Clear_WithAStaleETag_Throws_AndKeepsTheRecord()
    {
        var id = NewGrainId();
        var current = await WriteNewAsync(id, Sample(1));
        var stale = await ReadAsync(id);
        current.State = Sample(2);
        await Storage.WriteStateAsync(StateName, id, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, id, new GrainState<TestState>()));

        var read = await ReadAsync(id);
        Assert.Equal(Sample(2), read.State);
        Assert.Equal(current.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_OfAMissingRecord_WithoutAnETag_Succeeds()
    {
        var id = NewGrainId();
        var state = new GrainState<TestState>();

        await Storage.ClearStateAsync(StateName, id, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task ARecordClearedAndCreatedAgain_NeverRepeatsAnETag()
    {
        var id = NewGrainId();
        var state = await WriteNewAsync(id, Sample(1));
        var seen = new HashSet<string> { state.ETag! };
        await Storage.WriteStateAsync(StateName, id, state);
        seen.Add(state.ETag!);

        await Storage.ClearStateAsync(StateName, id, state);
        var again = await WriteNewAsync(id, Sample(2));
        await Storage.WriteStateAsync(StateName, id, again);

        Assert.DoesNotContain(again.ETag!, seen);
        Assert.Equal(Sample(2), (await ReadAsync(id)).State);
    }

    [Fact]
    public async Task StateNamesAndGrainIds_DoNotCollide()
    {
        var unique = Guid.NewGuid().ToString("N");
        var ids = new[]
        {
            GrainId.Create("test", unique),
            GrainId.Create("test", $"{unique}/a/b"),
            GrainId.Create("test", $"{unique}/A/B"),
            GrainId.Create($"test/{unique}", "a/b"),
            GrainId.Create("test", $"{unique}%2Fa%2Fb"),
            GrainId.Create("test", $"{unique}/ü/ß/日本"),
            GrainId.Create("test", $"{unique}/ u\\..:*?\"<>|"),
            GrainId.Create("test", unique + new string('x', 500) + "1"),
            GrainId.Create("test", unique + new string('x', 500) + "2"),
        };
        var stateNames = new[] { "state", "State", "other" };

        var expected = new Dictionary<(string, GrainId), TestState>();
        var count = 0;
        foreach (var stateName in stateNames)
        {
            foreach (var id in ids)
            {
                var value = new TestState { Name = $"{stateName}|{id}", Count = count++ };
                await WriteNewAsync(id, value, stateName);
                expected[(stateName, id)] = value;
            }
        }

        foreach (var ((stateName, id), value) in expected)
        {
            var read = await ReadAsync(id, stateName);
            Assert.True(read.RecordExists, $"{stateName} of {id} is missing");
            Assert.Equal(value, read.State);
        }
    }
}
