#include "util/files.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace gclab {
namespace {

std::string TempDir() {
  const char* t = std::getenv("TEST_TMPDIR");
  return t ? t : "/tmp";
}

TEST(FilesTest, WriteAtomicallyThenReadBack) {
  const std::string dir = TempDir() + "/files_test/a/b";
  ASSERT_TRUE(MakeDirectories(dir).ok());
  const std::string path = dir + "/f.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, std::string("se\0cond", 7)).ok());
  absl::StatusOr<std::string> data = ReadFile(path);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(*data, std::string("se\0cond", 7));
}

TEST(FilesTest, IsRegularFileOnlyForFiles) {
  const std::string dir = TempDir() + "/files_test/regular";
  ASSERT_TRUE(MakeDirectories(dir).ok());
  ASSERT_TRUE(WriteFileAtomically(dir + "/f", "x").ok());
  EXPECT_TRUE(IsRegularFile(dir + "/f"));
  EXPECT_FALSE(IsRegularFile(dir));
  EXPECT_FALSE(IsRegularFile(dir + "/missing"));
}

TEST(FilesTest, ErrorsNameThePath) {
  absl::StatusOr<std::string> data = ReadFile("/nonexistent/gclab.txt");
  EXPECT_EQ(data.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(data.status().message().find("/nonexistent/gclab.txt"), absl::string_view::npos);
  absl::Status s = WriteFileAtomically("/nonexistent/dir/x", "y");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/dir/x"), absl::string_view::npos);
}

TEST(FilesTest, UserPathsAreRelativeToTheBazelRunDirectory) {
  ::setenv("BUILD_WORKING_DIRECTORY", "/home/u/gclab", 1);
  EXPECT_EQ(ResolveUserPath("configs/x.textproto"), "/home/u/gclab/configs/x.textproto");
  EXPECT_EQ(ResolveUserPath("/abs/x"), "/abs/x");
  ::unsetenv("BUILD_WORKING_DIRECTORY");
  EXPECT_EQ(ResolveUserPath("configs/x.textproto"), "configs/x.textproto");
}

}  // namespace
}  // namespace gclab
