/**
 * The learning switch's MAC table: (segment, MAC) -> tunnel port and remote VTEP, in one primitive
 * array with open addressing, bounded in size, with the seed's hard-timeout ageing on the caller's
 * clock and static entries. Single writer (the datapath thread); no allocation on lookup or learn.
 */
package io.tunnelbox.mac;
