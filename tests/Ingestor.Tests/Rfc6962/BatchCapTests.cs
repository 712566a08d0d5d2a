using Certstream.Ingestor.Rfc6962;

namespace Certstream.Ingestor.Tests.Rfc6962;

public sealed class BatchCapTests
{
    [Fact]
    public void Before_any_short_answer_ranges_are_probe_sized_and_aligned()
    {
        var cap = new BatchCap(1024);

        Assert.Equal((10UL, 1024UL), cap.Plan(10, 5000));
        Assert.Equal((1024UL, 2048UL), cap.Plan(1024, 5000));
        Assert.Equal((4096UL, 5000UL), cap.Plan(4096, 5000));
        Assert.False(cap.Learned);
    }

    [Fact]
    public void A_short_answer_teaches_the_cap_and_ranges_follow_it()
    {
        var cap = new BatchCap(1024);

        cap.Observe(requested: 1014, returned: 32);

        Assert.Equal(32, cap.Current);
        Assert.Equal((64UL, 96UL), cap.Plan(64, 5000));
        Assert.Equal((70UL, 96UL), cap.Plan(70, 5000));
    }

    [Fact]
    public void An_unaligned_first_answer_is_corrected_by_the_next_larger_one()
    {
        var cap = new BatchCap(1024);

        cap.Observe(requested: 1014, returned: 22); // start=10 on a 32-cap aligned log
        Assert.Equal(22, cap.Current);
        cap.Observe(requested: 992, returned: 32);  // continued at 32
        cap.Observe(requested: 22, returned: 5);    // a later smaller short answer does not lower it

        Assert.Equal(32, cap.Current);
    }

    [Fact]
    public void Full_answers_teach_nothing()
    {
        var cap = new BatchCap(1024);

        cap.Observe(requested: 10, returned: 10);
        cap.Observe(requested: 10, returned: 0);

        Assert.False(cap.Learned);
        Assert.Equal(1024, cap.Current);
    }

    [Fact]
    public void Planning_stops_at_the_tree_size()
    {
        var cap = new BatchCap(256);

        Assert.Equal((300UL, 300UL), cap.Plan(300, 300));
        Assert.Equal((299UL, 300UL), cap.Plan(299, 300));
    }
}
