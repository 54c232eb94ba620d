package io.tunnelbox.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The encrypted lab's independent third site: the kernel's VXLAN device behind a strongSwan of its
 * own, configured by hand as any admin of a Linux VTEP would (written here, not by TunnelBox's
 * generator): IKEv2, transport mode between the WAN addresses, the lab's pre-shared key.
 */
final class KernelIpsecPeer implements AutoCloseable {
    private final Process charon;
    private final Path dir;
    private final String namespace;

    private KernelIpsecPeer(Process charon, Path dir, String namespace) {
        this.charon = charon;
        this.dir = dir;
        this.namespace = namespace;
    }

    /** Starts charon in {@code namespace} with connections from {@code local} to each of {@code peers}. */
    static KernelIpsecPeer start(String namespace, Path dir, String local, List<String> peers, String psk) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("strongswan.conf"), """
                    charon-systemd {
                      load_modular = no
                      load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey sha2 hmac kdf kernel-netlink socket-default vici
                      install_routes = no
                      plugins {
                        vici {
                          socket = unix://%1$s/charon.vici
                        }
                      }
                      journal {
                        default = -1
                      }
                      filelog {
                        lab {
                          path = %1$s/charon.log
                          default = 1
                        }
                      }
                    }
                    """.formatted(dir));
            StringBuilder conf = new StringBuilder("connections {\n");
            StringBuilder secrets = new StringBuilder("secrets {\n");
            for (String peer : peers) {
                String name = "to-" + peer.replace('.', '-');
                conf.append("""
                          %1$s {
                            version = 2
                            local_addrs = %2$s
                            remote_addrs = %3$s
                            proposals = aes256gcm16-prfsha384-x25519
                            local {
                              auth = psk
                            }
                            remote {
                              auth = psk
                            }
                            children {
                              vxlan {
                                mode = transport
                                esp_proposals = aes256gcm16-x25519
                                start_action = trap
                              }
                            }
                          }
                        """.formatted(name, local, peer));
                secrets.append("""
                          ike-%1$s {
                            id-1 = %2$s
                            id-2 = %3$s
                            secret = "%4$s"
                          }
                        """.formatted(name, local, peer, psk));
            }
            Files.writeString(dir.resolve("swanctl.conf"), conf.append("}\n").append(secrets).append("}\n").toString());
            for (String d : List.of("x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl", "pubkey", "private",
                    "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12")) {
                Files.createDirectories(dir.resolve(d));
            }
            ProcessBuilder pb = new ProcessBuilder(HostCommand.inNs(namespace, "/usr/sbin/charon-systemd"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("charon.out").toFile());
            pb.environment().put("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString());
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(dir.resolve("charon.vici"))) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new LabException("the kernel site's charon did not start (see " + dir.resolve("charon.out") + ")");
                }
                Thread.sleep(50);
            }
            KernelIpsecPeer peer = new KernelIpsecPeer(p, dir, namespace);
            HostCommand.Result r = peer.swanctl("--load-all", "--file", dir.resolve("swanctl.conf").toString());
            if (!r.ok()) {
                peer.close();
                throw new LabException("swanctl refused the kernel site's configuration: " + r.output().strip());
            }
            return peer;
        } catch (IOException e) {
            throw new LabException("cannot start the kernel site's strongSwan: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

    HostCommand.Result swanctl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(HostCommand.inNs(namespace, "env",
                "STRONGSWAN_CONF=" + dir.resolve("strongswan.conf"), "swanctl"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--uri", "unix://" + dir.resolve("charon.vici")));
        return HostCommand.attempt(cmd);
    }

    /** The IKE SAs this charon has established, as swanctl lists them. */
    String sas() {
        return swanctl("--list-sas").output();
    }

    @Override
    public void close() {
        charon.destroy();
        try {
            if (!charon.waitFor(10, TimeUnit.SECONDS)) {
                charon.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            charon.destroyForcibly();
        }
    }
}
