"""Lists the GPU code in a CUDA shared library's fat binaries: machine code (ELF/SASS) per sm_XX and PTX (which
the driver can compile for newer GPUs). A GPU runs the library only if it has SASS for the GPU's own architecture
(or a compatible minor version) or PTX of an equal or older one. Not part of the build.

    unzip -o ~/.m2/repository/org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar \
        'org/nd4j/linalg/jcublas/bindings/linux-x86_64/libnd4jcuda.so' -d /tmp/nd4jcuda
    python3 cuda_archs.py /tmp/nd4jcuda/org/nd4j/linalg/jcublas/bindings/linux-x86_64/libnd4jcuda.so
"""
import collections, mmap, struct, sys

FATBIN_MAGIC = struct.pack('<I', 0xBA55ED50)  # header of each embedded fat binary (CUDA's fatbinary.h)
KINDS = {1: 'PTX', 2: 'SASS'}

with open(sys.argv[1], 'rb') as f:
    m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    found, pos, fatbins = collections.Counter(), 0, 0
    while (i := m.find(FATBIN_MAGIC, pos)) >= 0:
        header_size, size = struct.unpack_from('<HQ', m, i + 6)
        j, end = i + header_size, i + header_size + size
        while j < end:  # entries: kind, version, header size, payload size, ..., sm number at offset 28
            kind, _, entry_header, payload = struct.unpack_from('<HHII', m, j)
            found[(KINDS.get(kind, kind), struct.unpack_from('<I', m, j + 28)[0])] += 1
            j += entry_header + payload
        fatbins += 1; pos = max(end, i + 4)
print('%d fat binaries' % fatbins)
for (kind, sm), n in sorted(found.items(), key=lambda e: (str(e[0][0]), e[0][1])):
    print('%-4s sm_%d  in %d of them' % (kind, sm, n))
print('PTX: ' + ('yes' if any(k == 'PTX' for k, _ in found) else 'none, so no GPU newer than the newest sm above can run it'))
