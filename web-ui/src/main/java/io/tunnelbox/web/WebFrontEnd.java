package io.tunnelbox.web;

import io.tunnelbox.management.ManagementContext;
import io.tunnelbox.management.ManagementFrontEnd;
import java.io.IOException;

/** The web page, as the firmware finds it: listed in META-INF/services. */
public final class WebFrontEnd implements ManagementFrontEnd {
    @Override
    public String name() {
        return "web";
    }

    @Override
    public Running start(ManagementContext context) throws IOException {
        return WebService.start(context, WebService.Binding::fromConfig);
    }
}
