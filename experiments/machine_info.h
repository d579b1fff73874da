// Describes the machine and build an experiment ran on (results.proto
// MachineInfo): hostname, cores, memory, kernel, CPU, compiler, build mode,
// git commit (if the working directory is a git checkout with commits), date.
#ifndef GCLAB_EXPERIMENTS_MACHINE_INFO_H_
#define GCLAB_EXPERIMENTS_MACHINE_INFO_H_

#include <cstdint>
#include <string>

#include "experiments/results.pb.h"

namespace gclab {

// `workspace_dir`: where to look for .git (may be empty).
MachineInfo CollectMachineInfo(const std::string& workspace_dir);

// Peak resident set size of this process (VmHWM from /proc/self/status), in
// bytes; 0 if unavailable.
uint64_t PeakRssBytes();
// Resets the peak (writes "5" to /proc/self/clear_refs, Linux >= 4.0). False
// if the kernel refused.
bool ResetPeakRss();

}  // namespace gclab

#endif  // GCLAB_EXPERIMENTS_MACHINE_INFO_H_
