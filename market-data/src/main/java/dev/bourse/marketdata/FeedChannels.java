package dev.bourse.marketdata;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;

/**
 * Which Aeron channels carry the same streams: the exchange's configuration and md-listen both
 * refuse the incremental and the snapshot feed on one stream id of one medium (the snapshot
 * handler would drop the incrementals and no snapshot would ever come).
 */
public final class FeedChannels
{
    private FeedChannels()
    {
    }

    /**
     * Whether two channels name one stream (given one stream id), as Aeron tells streams apart: by medium and,
     * for UDP, by where. Every aeron:ipc channel is the one IPC medium. Two UDP channels are the same when their
     * endpoint is, and their control address and control-mode (multi-destination) if given. Every other parameter
     * (alias, tether, which md-listen sets itself, term-length, mtu, ...) and an aeron-spy: prefix say how to
     * subscribe, not which stream. Addresses are compared as written: localhost:40456 and 127.0.0.1:40456 are
     * taken to differ (resolving names here would be slow, and the check is to catch a copied default, not every alias).
     */
    public static boolean sameMedium(final ChannelUri a, final ChannelUri b)
    {
        if (!a.media().equals(b.media()))
        {
            return false;
        }
        if (a.isIpc())
        {
            return true;
        }
        return sameParam(a, b, CommonContext.ENDPOINT_PARAM_NAME)
            && sameParam(a, b, CommonContext.MDC_CONTROL_PARAM_NAME)
            && sameParam(a, b, CommonContext.MDC_CONTROL_MODE_PARAM_NAME);
    }

    private static boolean sameParam(final ChannelUri a, final ChannelUri b, final String name)
    {
        return java.util.Objects.equals(a.get(name), b.get(name));
    }

    /** As {@link #sameMedium(ChannelUri, ChannelUri)}, for channels as written; one Aeron cannot parse is compared as text. */
    public static boolean sameMedium(final String a, final String b)
    {
        try
        {
            return sameMedium(ChannelUri.parse(a), ChannelUri.parse(b));
        }
        catch (final RuntimeException e) // said elsewhere: the configuration names a channel Aeron refuses
        {
            return a.equals(b);
        }
    }
}
