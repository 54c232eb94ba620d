package io.tunnelbox.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelbox.management.Updates;
import io.tunnelbox.web.http.ApiException;
import io.tunnelbox.web.http.Request;
import io.tunnelbox.web.http.Router;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload must leave room for the configuration store and the logs: refused up front when its
 * declared length does not fit, and stopped part way when it has no declared length (chunked) and
 * the disk runs low, with nothing handed to the update agent and nothing left in the uploads.
 */
class UpdateSpaceTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path state;

    private final List<Path> installed = new CopyOnWriteArrayList<>();
    private final Updates updates = new Updates() {
        @Override
        public Optional<String> busy() {
            return Optional.empty();
        }

        @Override
        public Result install(Path bundle) {
            installed.add(bundle);
            return new Result(Outcome.ACCEPTED, List.of("installed"));
        }

        @Override
        public String statusJson() {
            return "{}";
        }
    };

    /** A disk with {@code free} bytes before the upload: what the upload has written so far is gone from it. */
    private LongSupplier diskWith(long free) {
        return () -> free - uploadedBytes();
    }

    private long uploadedBytes() {
        try (Stream<Path> files = Files.list(state.resolve(UpdateApi.UPLOADS))) {
            return files.mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private ApiException upload(LongSupplier disk, long bytes, long declared) {
        Router router = new Router();
        new UpdateApi(updates, state, disk).register(router);
        Router.Route route = router.find("POST", "/api/update").orElseThrow().route();
        InputStream body = new ByteArrayInputStream(new byte[(int) bytes]);
        Request req = new Request("POST", "/api/update", null, null, new byte[0], body, declared,
                "application/octet-stream", null, "admin", "127.0.0.1");
        return assertThrows(ApiException.class, () -> route.handler().handle(req));
    }

    @Test
    void shouldStopAChunkedUploadBeforeItEatsTheSpare() throws Exception {
        ApiException e = upload(diskWith(UpdateApi.SPARE_BYTES + 4 * MB), 12 * MB, -1);
        assertEquals(507, e.status());
        assertTrue(e.getMessage().contains("stopped after"), e.getMessage());
        assertEquals(List.of(), installed, "nothing partial reaches the agent");
        assertEquals(0, uploadedBytes(), "the partial upload is removed");
    }

    @Test
    void shouldRefuseADeclaredUploadThatDoesNotFitBeforeReadingIt() throws Exception {
        ApiException e = upload(diskWith(UpdateApi.SPARE_BYTES + 4 * MB), 12 * MB, 12 * MB);
        assertEquals(507, e.status());
        assertTrue(e.getMessage().contains("not enough room on the box for a bundle of 12.0 MB"), e.getMessage());
        assertEquals(List.of(), installed);
    }

    @Test
    void shouldTakeAChunkedUploadThatFits() throws Exception {
        Router router = new Router();
        new UpdateApi(updates, state, diskWith(UpdateApi.SPARE_BYTES + 40 * MB)).register(router);
        Request req = new Request("POST", "/api/update", null, null, new byte[0], new ByteArrayInputStream(new byte[(int) (12 * MB)]),
                -1, "application/octet-stream", null, "admin", "127.0.0.1");
        assertEquals(202, router.find("POST", "/api/update").orElseThrow().route().handler().handle(req).status());
        assertEquals(1, installed.size());
    }
}
